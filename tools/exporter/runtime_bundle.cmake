# Bundles the runtime's source files into the mote binary, so that
# `mote export` writes a self-contained project without needing the source
# tree, and always exports the runtime the binary itself runs.
#
# Included from tools/CMakeLists.txt:  mote_add_runtime_bundle(<target>)
# Run as a script at build time:       cmake -DRUNTIME_DIR=.. -DOUTPUT=.. -P runtime_bundle.cmake

set(MOTE_BUNDLE_PATTERNS
  CMakeLists.txt Kconfig idf_component.yml library.json library.properties
  include/*.h include/*.def src/*.cc src/*.h ops/*.cc ops/*.h kernels/*.h kernels/*.cc
  kernels/reference/*.h kernels/reference/*.cc)
set(MOTE_BUNDLE_DELIMITER "mote_bundle")

function(mote_bundle_files runtime_dir out_var)
  set(globs "")
  foreach(pattern ${MOTE_BUNDLE_PATTERNS})
    list(APPEND globs ${runtime_dir}/${pattern})
  endforeach()
  file(GLOB_RECURSE files RELATIVE ${runtime_dir} ${globs})
  list(REMOVE_DUPLICATES files)
  list(SORT files)
  set(${out_var} ${files} PARENT_SCOPE)
endfunction()

if(CMAKE_SCRIPT_MODE_FILE)
  mote_bundle_files(${RUNTIME_DIR} files)
  set(text "// Generated at build time by tools/exporter/runtime_bundle.cmake from runtime/.\n")
  string(APPEND text "#include \"tools/exporter/runtime_bundle.h\"\n\nnamespace mote {\nnamespace exporter {\nnamespace {\n\n")
  set(table "")
  set(index 0)
  foreach(rel ${files})
    file(READ ${RUNTIME_DIR}/${rel} content)
    string(FIND "${content}" ")${MOTE_BUNDLE_DELIMITER}\"" clash)
    if(NOT clash EQUAL -1)
      message(FATAL_ERROR "${rel} contains the raw string delimiter )${MOTE_BUNDLE_DELIMITER}\"")
    endif()
    string(APPEND text "const char kFile${index}[] = R\"${MOTE_BUNDLE_DELIMITER}(${content})${MOTE_BUNDLE_DELIMITER}\";\n")
    string(APPEND table "    {\"${rel}\", kFile${index}, sizeof(kFile${index}) - 1},\n")
    math(EXPR index "${index} + 1")
  endforeach()
  string(APPEND text "\nconst BundledFile kFiles[] = {\n${table}};\n\n}  // namespace\n\n")
  string(APPEND text "const BundledFile* runtime_files(size_t* count) {\n  *count = sizeof(kFiles) / sizeof(kFiles[0]);\n  return kFiles;\n}\n\n")
  string(APPEND text "}  // namespace exporter\n}  // namespace mote\n")
  file(WRITE ${OUTPUT}.tmp "${text}")
  file(RENAME ${OUTPUT}.tmp ${OUTPUT})
  return()
endif()

set(MOTE_BUNDLE_SCRIPT ${CMAKE_CURRENT_LIST_FILE})

function(mote_add_runtime_bundle target)
  set(runtime_dir ${PROJECT_SOURCE_DIR}/runtime)
  set(globs "")
  foreach(pattern ${MOTE_BUNDLE_PATTERNS})
    list(APPEND globs ${runtime_dir}/${pattern})
  endforeach()
  # Configure-time glob: a file added to the runtime re-runs CMake, so it is bundled.
  file(GLOB_RECURSE inputs CONFIGURE_DEPENDS ${globs})
  set(output ${CMAKE_CURRENT_BINARY_DIR}/runtime_bundle.cc)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DRUNTIME_DIR=${runtime_dir} -DOUTPUT=${output} -P ${MOTE_BUNDLE_SCRIPT}
    DEPENDS ${inputs} ${MOTE_BUNDLE_SCRIPT}
    COMMENT "Bundling the runtime sources for mote export"
    VERBATIM)
  target_sources(${target} PRIVATE ${output})
endfunction()
