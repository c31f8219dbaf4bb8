// Whole-file reads and writes for every file tandem reads or writes, with one way of saying
// what went wrong: Error "PATH: cannot read: REASON" / "PATH: cannot write: REASON".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tandem {

// The whole file. A directory, a missing or unreadable file, or one larger than `max_bytes`
// (then `what` names what it is not: "not a replay file") is an Error naming the path.
std::string read_text_file(const std::string& path, uint64_t max_bytes = uint64_t(1) << 30,
                           const std::string& what = "");
std::vector<uint8_t> read_file_bytes(const std::string& path, uint64_t max_bytes = uint64_t(1) << 34);

// Create or truncate `path` and write `bytes` to it.
void write_text_file(const std::string& path, const std::string& text);
void write_file_bytes(const std::string& path, const std::vector<uint8_t>& bytes);
// Write `PATH.tmp`, then rename it over `path`: a process killed while writing leaves the
// previous file whole.
void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes);

// Create `dir` and its parents when missing; Error "DIR: cannot create the directory: REASON".
void make_output_dir(const std::string& dir);
// Error unless `path` can be written (checked before a long run rather than after it); leaves no
// file behind that was not there.
void check_writable(const std::string& path);

}  // namespace tandem
