// tandem-rdlgen: the build's generator of register-map headers. From one SystemRDL file it
// writes a C++ header for models and bindings (offsets, field positions, masks, resets, enums,
// and the .rdl text itself, so the installed tool does not read the source tree) and a C header
// for firmware drivers (the same names as macros).
//
//   tandem-rdlgen MAP.rdl --name NAME --file SHOWN_PATH --cxx OUT.hpp --c OUT.h
//
// NAME is the C++ namespace (tandem_regs::NAME) and the C macro prefix (NAME in upper case);
// SHOWN_PATH is the path error messages name (the file relative to the source tree).
// A header whose content would not change is left alone, file time included: rebuilding the
// generator (after an edit of the library it links) recompiles no model.
// Exit 0, or 2 with one line "FILE:LINE:COL: problem".
#include <cstdlib>
#include <iostream>
#include <string>

#include <tandem/error.h>
#include <tandem/files.h>
#include <tandem/map_spec.h>
#include <tandem/rdl.h>
#include <tandem/regmap_headers.h>

namespace {

void write_if_changed(const std::string& path, const std::string& text) {
  try {
    if (tandem::read_text_file(path) == text) return;
  } catch (const tandem::Error&) {
    // not there yet, or unreadable: write it
  }
  tandem::write_text_file(path, text);
}

}  // namespace

int main(int argc, char** argv) {
  std::string input, name, shown, cxx, c;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string& to) {
      if (i + 1 >= argc) {
        std::cerr << "tandem-rdlgen: " << a << " needs a value\n";
        std::exit(2);
      }
      to = argv[++i];
    };
    if (a == "--name")
      value(name);
    else if (a == "--file")
      value(shown);
    else if (a == "--cxx")
      value(cxx);
    else if (a == "--c")
      value(c);
    else
      input = a;
  }
  if (input.empty() || name.empty() || cxx.empty() || c.empty()) {
    std::cerr << "usage: tandem-rdlgen MAP.rdl --name NAME [--file SHOWN_PATH] --cxx OUT.hpp --c OUT.h\n";
    return 2;
  }
  if (shown.empty()) shown = input;
  try {
    const std::string text = tandem::read_text_file(input);
    const tandem::MapSpec map = tandem::parse_rdl(text, shown);
    tandem::to_register_map(map);  // refuses what the engine cannot take (tandem_* properties)
    write_if_changed(cxx, tandem::cxx_header(map, name, shown, text));
    write_if_changed(c, tandem::c_header(map, name, shown));
  } catch (const tandem::Error& e) {
    std::cerr << "tandem-rdlgen: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
