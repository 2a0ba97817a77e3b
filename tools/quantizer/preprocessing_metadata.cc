#include "tools/quantizer/preprocessing_metadata.h"

#include <stdexcept>

#include "tools/common/json.h"

namespace mote {
namespace tools {

std::vector<uint8_t> preprocessing_metadata(const std::vector<DataPreprocessing>& inputs) {
  Json entries = Json::array();
  for (size_t i = 0; i < inputs.size(); ++i) {
    const DataPreprocessing& p = inputs[i];
    const bool images = p.images > 0;
    if (p.samples == 0 || (images && p.images != p.samples)) continue;
    Json entry = {{"index", i}, {"name", p.input}, {"data", images ? "images" : "values"}};
    if (images) {
      std::string color = p.color;
      for (char& c : color) c = char(tolower(static_cast<unsigned char>(c)));
      entry["color"] = color;
      Json from = Json::array();
      for (const auto& [width, height] : p.image_sizes) from.push_back({width, height});
      entry["resize_from"] = from;
      entry["resize_to"] = {p.width, p.height};
    }
    entry["scale"] = p.scale;
    entry["mean"] = p.mean;
    entry["range"] = {p.min, p.max};
    entry["summary"] = p.to_string();
    entries.push_back(entry);
  }
  const std::string text = Json{{"version", kPreprocessingMetadataVersion}, {"inputs", entries}}.dump();
  return std::vector<uint8_t>(text.begin(), text.end());
}

std::vector<RecordedPreprocessing> parse_preprocessing_metadata(const uint8_t* data, size_t size) {
  std::vector<RecordedPreprocessing> recorded;
  try {
    const Json doc = Json::parse(data, data + size);
    if (doc.at("version").get<int>() > kPreprocessingMetadataVersion) return recorded;
    for (const Json& entry : doc.at("inputs")) {
      RecordedPreprocessing r;
      r.input = entry.at("index").get<uint32_t>();
      const std::string kind = entry.at("data").get<std::string>();
      if (kind != "images" && kind != "values") throw std::runtime_error("data '" + kind + "' is neither images nor values");
      r.images = kind == "images";
      if (r.images) r.color = entry.at("color").get<std::string>();
      r.scale = entry.at("scale").get<std::vector<float>>();
      r.mean = entry.at("mean").get<std::vector<float>>();
      r.summary = entry.at("summary").get<std::string>();
      recorded.push_back(std::move(r));
    }
  } catch (const Json::exception& e) {
    throw std::runtime_error(std::string(kPreprocessingMetadataName) + " metadata: " + e.what());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string(kPreprocessingMetadataName) + " metadata: " + e.what());
  }
  return recorded;
}

}  // namespace tools
}  // namespace mote
