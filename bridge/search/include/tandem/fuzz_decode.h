// Fuzz input -> program. Bytes from a coverage-guided fuzzer become a lockstep program for one
// device, in the manner of QEMU's generic-fuzz target: the input is cut into commands at a
// separator, each command is an operation byte and its operands (register index modulo the
// map, size and byte lane, an idle gap, a value), short commands are zero-padded. Every byte
// string decodes, deterministically, to a valid program: every access lies inside the
// completer's address window, every size is 1, 2, 4 or 8, every idle gap is at least 1.
//
// Command layout (kFuzzRecordBytes, after the separator split; a longer chunk holds several):
//   [0] operation   (modulo the operations below)
//   [1] register    index into the register map (modulo its size)
//   [2] size/lane   bits 0-1: size 1, 2, 4 or 8; bits 2-4: byte offset added to the register
//   [3] gap         >= 0xc0: an idle gap of (gap - 0xbf) cycles follows the access
//   [4..11] value   little-endian; also the raw offset of unmapped accesses, and idle lengths
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tandem/binding.h"
#include "tandem/campaign.h"
#include "tandem/step.h"

namespace tandem {

constexpr size_t kFuzzRecordBytes = 12;
constexpr const char* kFuzzSeparator = "FUZZ";

enum class FuzzOp : uint8_t {
  read_reg,      // read the register at its offset (+ lane)
  write_reg,     // write the value to the register (+ lane)
  read_raw,      // read any offset of the window: holes, unmapped space
  write_raw,     // write any offset of the window
  idle,          // 1 .. max(64, 4 * hints.max_idle) cycles
  reset,         // synchronous reset of both sides
  mem_write,     // guest memory (descriptor or buffer region of a bus-master device), else write_reg
  write_select,  // a selector register (when the hints name one): value as given, else write_reg
  count_
};

struct FuzzDecodeOptions {
  size_t max_steps = 4096;  // a longer input is cut: one fuzz iteration stays short
  // An input is also cut before the step by which the program would need more RTL cycles
  // than this (min_cycles, campaign.h: the bound `tandem run` and `tandem replay` apply).
  uint64_t max_cycles = kDefaultMaxCycles;
};

// Never throws for any input; the binding must have a non-empty register map (Error otherwise).
Program decode_fuzz_input(const uint8_t* data, size_t size, const DeviceBinding& binding,
                          const FuzzDecodeOptions& options = {});

// The bytes of a fuzz input that decode_fuzz_input() turns back into `program` when every step
// is one the decoder can produce (used to seed corpora from generated programs); steps it
// cannot express are skipped.
std::string encode_fuzz_input(const Program& program, const DeviceBinding& binding);

// A seed corpus from what the binding knows of its driver: one input per driver-manual
// sequence (hints.sequences and hints.dma.setups, the `ordering` strategy's source), encoded
// with encode_fuzz_input(). Named after the sequence ("seq-<name>"); empty when the binding has
// no sequences. Generic: nothing here knows a device.
struct FuzzSeed {
  std::string name;
  std::string bytes;
};
std::vector<FuzzSeed> fuzz_seeds(const DeviceBinding& binding);

// A libFuzzer dictionary from the register map: the separator, and for every register a read
// and writes of the values its fields make interesting (reset value, each field all ones, each
// field's lowest bit, all ones), each as a separator and one encoded command, so that a
// dictionary insertion lands on a command boundary; selector hints add writes of count - 1,
// count and all ones. Entries are raw bytes; dictionary_text() writes them in libFuzzer's
// -dict= format (one "\xNN"-quoted string a line).
std::vector<std::string> fuzz_dictionary(const DeviceBinding& binding);
std::string dictionary_text(const std::vector<std::string>& entries);

}  // namespace tandem
