// Register-map coverage as JSON, text and HTML.
#include "tandem/coverage_report.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tandem/error.h"
#include "tandem/report_html.h"

namespace tandem {

namespace {

using Json = nlohmann::json;

// A device's bins by group, groups in the order of their first bin.
struct Group {
  std::string name;
  std::vector<const CoverageBin*> bins;
  size_t hit = 0;
  double percent() const { return bins.empty() ? 100.0 : 100.0 * static_cast<double>(hit) / bins.size(); }
};

std::vector<Group> groups_of(const DeviceCoverage& d) {
  std::vector<Group> groups;
  std::map<std::string, size_t> index;
  for (const CoverageBin& b : d.bins) {
    auto it = index.find(b.group);
    if (it == index.end()) {
      it = index.emplace(b.group, groups.size()).first;
      groups.push_back({b.group, {}, 0});
    }
    Group& g = groups[it->second];
    g.bins.push_back(&b);
    g.hit += b.hits > 0 ? 1 : 0;
  }
  return groups;
}

double rounded(double percent) { return std::round(percent * 10.0) / 10.0; }

Json device_json(const DeviceCoverage& d) {
  Json groups = Json::array();
  for (const Group& g : groups_of(d)) {
    Json bins = Json::array();
    for (const CoverageBin* b : g.bins) bins.push_back({{"bin", b->name}, {"hits", b->hits}});
    groups.push_back({{"group", g.name},
                      {"bins_hit", g.hit},
                      {"bins_total", g.bins.size()},
                      {"percent", rounded(g.percent())},
                      {"bins", bins}});
  }
  return {{"device", d.device},
          {"runs", d.runs},
          {"steps", d.steps},
          {"bins_hit", d.hit_count()},
          {"bins_total", d.bins.size()},
          {"percent", rounded(d.percent())},
          {"groups", groups}};
}

Json array_json(const std::vector<DeviceCoverage>& devices) {
  Json arr = Json::array();
  for (const DeviceCoverage& d : devices) arr.push_back(device_json(d));
  return arr;
}

// The value of `key` in `object`, which must be of the kind `is` accepts.
const Json& member(const Json& object, const char* key, bool (Json::*is)() const noexcept, const char* kind,
                   const std::string& where) {
  if (!object.is_object() || !object.contains(key)) throw Error(fmt::format("{}: no \"{}\"", where, key));
  const Json& v = object.at(key);
  if (!(v.*is)()) throw Error(fmt::format("{}: \"{}\" is not {}", where, key, kind));
  return v;
}

DeviceCoverage parse_device(const Json& j, const std::string& where) {
  DeviceCoverage d;
  d.device = member(j, "device", &Json::is_string, "a string", where).get<std::string>();
  const std::string at = fmt::format("{} device {}", where, d.device);
  d.runs = member(j, "runs", &Json::is_number_unsigned, "a whole number", at).get<uint64_t>();
  d.steps = member(j, "steps", &Json::is_number_unsigned, "a whole number", at).get<uint64_t>();
  for (const Json& g : member(j, "groups", &Json::is_array, "an array", at)) {
    const std::string group = member(g, "group", &Json::is_string, "a string", at).get<std::string>();
    const std::string gat = fmt::format("{} group {}", at, group);
    for (const Json& b : member(g, "bins", &Json::is_array, "an array", gat)) {
      const std::string name = member(b, "bin", &Json::is_string, "a string", gat).get<std::string>();
      const uint64_t hits = member(b, "hits", &Json::is_number_unsigned, "a whole number", gat).get<uint64_t>();
      d.bins.push_back({group, name, hits});
    }
  }
  const uint64_t total = member(j, "bins_total", &Json::is_number_unsigned, "a whole number", at).get<uint64_t>();
  const uint64_t hit = member(j, "bins_hit", &Json::is_number_unsigned, "a whole number", at).get<uint64_t>();
  if (total != d.bins.size() || hit != d.hit_count())
    throw Error(fmt::format("{}: bins_hit {} of bins_total {} but its bins say {} of {}", at, hit, total, d.hit_count(),
                            d.bins.size()));
  return d;
}

std::string unhit_list(const Group& g) {
  std::string out;
  for (const CoverageBin* b : g.bins)
    if (b->hits == 0) out += (out.empty() ? "" : "; ") + b->name;
  return out;
}

}  // namespace

std::string coverage_json(const std::vector<DeviceCoverage>& devices) {
  return Json{{"coverage", array_json(devices)}}.dump(2);
}

std::string coverage_array_json(const std::vector<DeviceCoverage>& devices) { return array_json(devices).dump(2); }

std::vector<DeviceCoverage> parse_coverage_json(const std::string& text, const std::string& path) {
  Json j;
  try {
    j = Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw Error(fmt::format("{}: not JSON: {}", path, e.what()));
  }
  std::vector<DeviceCoverage> devices;
  for (const Json& d : member(j, "coverage", &Json::is_array, "an array", path))
    devices.push_back(parse_device(d, path));
  return devices;
}

void merge_coverage_set(std::vector<DeviceCoverage>& into, const std::vector<DeviceCoverage>& from,
                        const std::string& from_path) {
  for (const DeviceCoverage& d : from) {
    auto same = [&](const DeviceCoverage& x) { return x.device == d.device; };
    auto it = std::find_if(into.begin(), into.end(), same);
    if (it == into.end()) {
      into.push_back(d);
      continue;
    }
    try {
      merge_coverage(*it, d);
    } catch (const Error& e) {
      throw Error(fmt::format("{}: {}", from_path, e.what()));
    }
  }
}

std::string format_coverage(const std::vector<DeviceCoverage>& devices) {
  std::string out = "\ncoverage (register map; docs/coverage.md)\n";
  for (const DeviceCoverage& d : devices) {
    out += fmt::format("  {}: {} of {} bins, {:.1f}% ({} runs, {} steps)\n", d.device, d.hit_count(), d.bins.size(),
                       d.percent(), d.runs, d.steps);
    for (const Group& g : groups_of(d)) {
      out += fmt::format("    {:<16} {:>4}/{:<4} {:5.1f}%", g.name, g.hit, g.bins.size(), g.percent());
      const std::string unhit = unhit_list(g);
      out += unhit.empty() ? "\n" : "  never: " + unhit + "\n";
    }
  }
  return out;
}

std::string coverage_html(const std::vector<DeviceCoverage>& devices) {
  std::string out = "<section class=\"coverage\"><h2>Coverage</h2>\n";
  for (const DeviceCoverage& d : devices) {
    out += fmt::format("<h3>{}: {:.1f}% ({} of {} bins)</h3>\n", html_escape(d.device), d.percent(), d.hit_count(),
                       d.bins.size());
    out += "<table><tr><th>register</th><th>bins hit</th><th>%</th><th>never hit</th></tr>\n";
    for (const Group& g : groups_of(d))
      out += fmt::format("<tr><td>{}</td><td>{} / {}</td><td>{:.1f}</td><td>{}</td></tr>\n", html_escape(g.name), g.hit,
                         g.bins.size(), g.percent(), html_escape(unhit_list(g)));
    out += "</table>\n";
  }
  return out + "</section>\n";
}

}  // namespace tandem
