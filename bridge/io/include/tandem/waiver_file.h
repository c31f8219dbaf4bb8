// Waiver files: known differences in TOML, one [[waiver]] table each, and timing tolerances, one
// [[tolerance]] table each (docs/waivers.md), read into the WaiverSet the engine matches against.
// Every problem is an Error "FILE:LINE: problem".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "tandem/waiver.h"

namespace tandem {

constexpr size_t kWaiverFileMaxBytes = 4u << 20;  // a waiver file larger than this is refused

// Parse waiver text; `source` names it in messages and in each Waiver::where. `today`
// ("YYYY-MM-DD") is the date expiry is judged against: a waiver whose `expires` is before it
// is an error (it stays valid through its expiry day).
WaiverSet parse_waivers(std::string_view text, const std::string& source, const std::string& today);

// Read and parse a file, judged against today's date (UTC).
WaiverSet load_waivers(const std::string& path);

// "YYYY-MM-DD" as written (a valid month and day), or nullopt.
std::optional<std::string> parse_date(const std::string& text);

// "YYYY-MM-DD", today in UTC.
std::string today_utc();

// One [[waiver]] table as TOML text a person can paste into a waiver file (comment lines first).
std::string format_waiver(const Waiver& w, const std::string& comment = "");

// Append `more` to `set` (a binding's own waivers and a file's).
void add_waivers(WaiverSet& set, const WaiverSet& more);

// The waivers a command runs with: every device's own (DeviceBinding::waivers), then those of
// the file at `path` when it is not empty; all checked against `catalog` (check_waivers), and a
// binding's expired waiver is an error as a file's is.
WaiverSet command_waivers(const Catalog& catalog, const std::string& path);

}  // namespace tandem
