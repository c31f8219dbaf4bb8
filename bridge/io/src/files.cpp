// Whole-file reads and writes, their errors naming path and reason.
#include "tandem/files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "tandem/error.h"

namespace tandem {

namespace fs = std::filesystem;

namespace {

std::string reason() { return errno != 0 ? std::strerror(errno) : "unknown error"; }

[[noreturn]] void cannot(const char* what, const std::string& path, const std::string& why) {
  throw Error(fmt::format("{}: cannot {}: {}", path, what, why));
}

template <class Container>
Container read_whole(const std::string& path, uint64_t max_bytes, const std::string& what) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) cannot("read", path, "is a directory");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) cannot("read", path, reason());
  Container out;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    out.insert(out.end(), buf, buf + in.gcount());
    if (out.size() > max_bytes)
      cannot("read", path,
             fmt::format("larger than {} MiB{}", max_bytes >> 20, what.empty() ? "" : fmt::format(", {}", what)));
  }
  if (in.bad()) cannot("read", path, reason());
  return out;
}

template <class Bytes>
void write_whole(const std::string& path, const Bytes& bytes) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) cannot("write", path, "is a directory");
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) cannot("write", path, reason());
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out.flush();
  if (!out) cannot("write", path, reason());
}

}  // namespace

std::string read_text_file(const std::string& path, uint64_t max_bytes, const std::string& what) {
  return read_whole<std::string>(path, max_bytes, what);
}

std::vector<uint8_t> read_file_bytes(const std::string& path, uint64_t max_bytes) {
  return read_whole<std::vector<uint8_t>>(path, max_bytes, "");
}

void write_text_file(const std::string& path, const std::string& text) { write_whole(path, text); }

void write_file_bytes(const std::string& path, const std::vector<uint8_t>& bytes) { write_whole(path, bytes); }

void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes) {
  const std::string tmp = path + ".tmp";
  write_whole(tmp, bytes);
  errno = 0;
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = reason();
    std::error_code ec;
    fs::remove(tmp, ec);
    cannot("write", path, why);
  }
}

void make_output_dir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec))
    throw Error(
        fmt::format("{}: cannot create the directory: {}", dir, ec ? ec.message() : "a file of that name exists"));
}

void check_writable(const std::string& path) {
  std::error_code ec;
  if (path.empty()) throw Error("an output path is empty");
  if (fs::is_directory(path, ec)) cannot("write", path, "is a directory");
  const bool existed = fs::exists(path, ec);
  {
    errno = 0;
    std::ofstream probe(path, std::ios::binary | std::ios::app);
    if (!probe) cannot("write", path, reason());
  }
  if (!existed) fs::remove(path, ec);
}

}  // namespace tandem
