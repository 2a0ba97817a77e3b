# `cmake --install`: the runtime (static library + include/mote), the host tools
# (static library + their headers under include/mote-tools), the mote CLI, a CMake
# package (find_package(mote): mote::runtime, mote::tools) and pkg-config's mote.pc
# for the runtime. Included from the top-level CMakeLists.txt after the targets exist.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(MOTE_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/mote)

set_target_properties(mote_runtime PROPERTIES EXPORT_NAME runtime)
install(TARGETS mote_runtime EXPORT mote-runtime
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT mote-runtime NAMESPACE mote:: FILE moteRuntimeTargets.cmake DESTINATION ${MOTE_INSTALL_CMAKEDIR})

# What the config file must find before it defines mote::tools (the tools' public links).
set(MOTE_TOOLS_DEPENDENCIES "")
if(TARGET mote_tools)
  set_target_properties(mote_tools PROPERTIES EXPORT_NAME tools)
  install(TARGETS mote_tools EXPORT mote-tools
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mote-tools)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/tools/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mote-tools/tools
          FILES_MATCHING PATTERN "*.h")
  # The typed .tflite model header that flatc generates at build time (tools/model/tflite_model.h includes it).
  install(FILES ${PROJECT_BINARY_DIR}/tools/generated/tools/model/tflite_generated.h
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mote-tools/tools/model)
  install(EXPORT mote-tools NAMESPACE mote:: FILE moteToolsTargets.cmake DESTINATION ${MOTE_INSTALL_CMAKEDIR})
  install(TARGETS mote RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  # (tools/ found these packages; their imported targets are not visible here.)
  get_target_property(tools_links mote_tools INTERFACE_LINK_LIBRARIES)
  if("flatbuffers::flatbuffers" IN_LIST tools_links)
    string(APPEND MOTE_TOOLS_DEPENDENCIES
           "find_package(FlatBuffers CONFIG QUIET)\nif(NOT TARGET flatbuffers::flatbuffers)\n"
           "  find_dependency(flatbuffers CONFIG)\nendif()\n")
  endif()
  if("nlohmann_json::nlohmann_json" IN_LIST tools_links)
    string(APPEND MOTE_TOOLS_DEPENDENCIES "find_dependency(nlohmann_json 3 CONFIG)\n")
  endif()
endif()

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/moteConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/moteConfig.cmake
                              INSTALL_DESTINATION ${MOTE_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/moteConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/moteConfig.cmake ${PROJECT_BINARY_DIR}/moteConfigVersion.cmake
        DESTINATION ${MOTE_INSTALL_CMAKEDIR})

file(RELATIVE_PATH MOTE_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" MOTE_PC_TO_PREFIX "${MOTE_PC_TO_PREFIX}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/mote.pc.in ${PROJECT_BINARY_DIR}/mote.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/mote.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
