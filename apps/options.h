// What the commands share: their exit statuses and the validators whose messages a person can
// read (CLI11's own range text is not).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace tandem {

constexpr int kExitClean = 0, kExitDiverged = 1, kExitUsage = 2;

// A whole number >= 1.
inline CLI::Validator positive_whole_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        try {
          size_t used = 0;
          if (!text.empty() && text[0] != '-' && std::stoull(text, &used, 0) > 0 && used == text.size()) return "";
        } catch (const std::exception&) {
        }
        return "'" + text + "' is not a whole number of at least 1";
      },
      "POSITIVE");
}

}  // namespace tandem
