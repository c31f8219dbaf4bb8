// SystemRDL front door: read, parse, elaborate.
#include "tandem/rdl.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "rdl_ast.h"
#include "tandem/error.h"

namespace tandem {

std::string read_text_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw Error(fmt::format("{}: cannot read (a directory)", path));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("{}: cannot read ({})", path, std::strerror(errno)));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(fmt::format("{}: cannot read", path));
  return text.str();
}

MapSpec parse_rdl(const std::string& text, const std::string& file, const std::string& top) {
  const rdl::Root root = rdl::parse(text, file);
  return rdl::elaborate(root, top, file);
}

MapSpec load_rdl(const std::string& path, const std::string& top) { return parse_rdl(read_text_file(path), path, top); }

}  // namespace tandem
