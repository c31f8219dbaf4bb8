// A main for the fuzz entry points in builds without libFuzzer: every file of the given files
// and directories, then deterministic mutations of each (byte flips, cuts, copies, inserted
// tokens), so the plain CI covers the readers' error paths too.
// Usage: NAME_corpus [--mutations N] PATH...
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

struct Rng {
  uint64_t s;
  uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  size_t below(size_t n) { return n == 0 ? 0 : size_t(next() % n); }
};

// clang-format off
const char* const kTokens[] = {"{", "}", "[", "]", ";", "=", "@", "+=", "%=", ":", "0x", "'h", "\"", "/*", "//",
                               "reg", "field", "regfile", "addrmap", "enum", "property", "default", "sw", "rw",
                               "woclr", "rclr", "reset", "regwidth", "64", "4294967296", "<", ">", "</", "<register>",
                               "<field>", "<dim>", "%s", "derivedFrom=\"", "<bitRange>[", "0xffffffffffffffff"};
// clang-format on

std::string mutate(const std::string& in, Rng& rng) {
  std::string s = in;
  const unsigned edits = 1 + unsigned(rng.below(4));
  for (unsigned e = 0; e < edits; ++e) {
    const size_t at = rng.below(s.size() + 1);
    switch (rng.below(6)) {
      case 0:  // flip a byte
        if (!s.empty()) s[std::min(at, s.size() - 1)] ^= char(1u << rng.below(8));
        break;
      case 1:  // cut a range
        s.erase(std::min(at, s.size()), rng.below(64));
        break;
      case 2: {  // copy a range elsewhere
        const size_t from = rng.below(s.size() + 1);
        const std::string piece = s.substr(from, rng.below(128));
        s.insert(std::min(at, s.size()), piece);
        break;
      }
      case 3:  // insert a token
        s.insert(std::min(at, s.size()), kTokens[rng.below(sizeof kTokens / sizeof kTokens[0])]);
        break;
      case 4:  // truncate
        s.resize(std::min(at, s.size()));
        break;
      default:  // replace a digit run's digit
        for (size_t i = at; i < s.size(); ++i)
          if (s[i] >= '0' && s[i] <= '9') {
            s[i] = char('0' + rng.below(10));
            break;
          }
        break;
    }
  }
  return s;
}

void run(const std::string& data) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
}

}  // namespace

int main(int argc, char** argv) {
  unsigned mutations = 200;
  std::vector<std::filesystem::path> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--mutations") == 0 && i + 1 < argc) {
      mutations = unsigned(std::strtoul(argv[++i], nullptr, 10));
      continue;
    }
    const std::filesystem::path p(argv[i]);
    if (std::filesystem::is_directory(p)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(p))
        if (e.is_regular_file()) files.push_back(e.path());
    } else if (std::filesystem::is_regular_file(p)) {
      files.push_back(p);
    } else {
      std::fprintf(stderr, "%s: no such file or directory\n", argv[i]);
      return 2;
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "no inputs\n");
    return 2;
  }
  uint64_t runs = 0;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    run(data);
    ++runs;
    Rng rng{std::hash<std::string>{}(f.filename().string()) | 1};
    for (unsigned m = 0; m < mutations; ++m, ++runs) run(mutate(data, rng));
  }
  std::printf("%zu inputs, %llu runs, no crash\n", files.size(), static_cast<unsigned long long>(runs));
  return 0;
}
