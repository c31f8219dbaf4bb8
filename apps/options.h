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

// A number of seconds from 0 to `most` (not NaN, not infinite): a time an input asks to spend.
inline CLI::Validator seconds_up_to(double most) {
  return CLI::Validator(
      [most](std::string& text) -> std::string {
        try {
          size_t used = 0;
          const double v = std::stod(text, &used);
          if (used == text.size() && v >= 0 && v <= most) return "";  // false for NaN
        } catch (const std::exception&) {
        }
        return "'" + text + "' is not a number of seconds from 0 to " + std::to_string(static_cast<long long>(most));
      },
      "SECONDS");
}

// --max-cycles on run, replay, shrink and fuzz: the RTL time one run may spend. The default
// (tandem::kDefaultMaxCycles) is far beyond any bundled campaign and far below a day.
inline CLI::Option* add_max_cycles_option(CLI::App& cmd, uint64_t& value) {
  return cmd
      .add_option("--max-cycles", value,
                  "RTL cycles one run may reach (default: 10^9, about 95 s of RTL time; the default campaign needs "
                  "~10^5): an input demanding more, such as clock_step 10^12 (a day of RTL time), is refused with "
                  "exit 2 before it runs")
      ->check(positive_whole_number());
}

}  // namespace tandem
