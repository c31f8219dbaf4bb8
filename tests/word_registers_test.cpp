// The shared register front end (tandem/word_registers.h): which word an access means, the
// mapped check, the byte lanes of every size at every lane on every register width, and the
// order of the catch-up, the access and the access's edge.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <tandem/word_registers.h>

using namespace tandem;

namespace {

// A register block of `W`-byte words that records every call the front end makes. Words 0
// and 2 are registers (word 0 reads kPattern, word 2 what was last written to it); every other
// word, and everything from 4 * W on, is unmapped.
template <unsigned W>
class Recorder {
 public:
  static constexpr uint64_t kPattern = 0x8877665544332211ull;
  std::vector<std::string> calls;
  uint64_t stored = 0, last_value = 0, last_lanes = 0;

  static constexpr unsigned word_bytes() { return W; }
  bool mapped(uint64_t word) {
    calls.push_back("mapped " + std::to_string(word));
    return word == 0 || word == 2 * W;
  }
  uint64_t read_word(uint64_t word, Cycle now) {
    calls.push_back("read_word " + std::to_string(word) + " at " + std::to_string(now));
    return (word == 0 ? kPattern : stored) & size_mask(W);
  }
  void write_word(uint64_t word, uint64_t value, uint64_t lanes, Cycle now) {
    calls.push_back("write_word " + std::to_string(word) + " at " + std::to_string(now));
    last_value = value;
    last_lanes = lanes;
    stored = (stored & ~lanes) | (value & lanes);
  }
  void catch_up_before(Cycle now, Direction dir) {
    calls.push_back(std::string("catch_up_before ") + std::to_string(now) +
                    (dir == Direction::read ? " read" : " write"));
  }
  void catch_up(Cycle now) { calls.push_back("catch_up " + std::to_string(now)); }
};

// A block whose one register answers with an error and data (a read), or an error (a write).
struct ErrorRegister {
  static constexpr unsigned word_bytes() { return 4; }
  static bool mapped(uint64_t word) { return word == 0; }
  static BusResponse read_word(uint64_t, Cycle) { return {0xaabbccdd, true}; }
  static bool write_word(uint64_t, uint64_t value, uint64_t, Cycle) { return value != 0; }
  void catch_up_before(Cycle, Direction) {}
  void catch_up(Cycle) {}
};

// Byte `i` of kPattern is 0x11 * (i + 1): the bytes an access at `lane` of `size` must see.
uint64_t pattern_bytes(unsigned lane, unsigned size) { return (Recorder<8>::kPattern >> (8 * lane)) & size_mask(size); }

template <unsigned W>
void check_every_read_size_and_lane() {
  for (unsigned size = 1; size <= W; ++size) {
    for (unsigned lane = 0; lane + size <= W; ++lane) {
      Recorder<W> m;
      const BusResponse r = WordRegisters<Recorder<W>>::read(m, lane, size, 10);
      INFO("word " << W << " bytes, size " << size << " at lane " << lane);
      CHECK_FALSE(r.error);
      CHECK(r.data == pattern_bytes(lane, size));
    }
  }
}

template <unsigned W>
void check_every_write_size_and_lane() {
  for (unsigned size = 1; size <= W; ++size) {
    for (unsigned lane = 0; lane + size <= W; ++lane) {
      Recorder<W> m;
      m.stored = size_mask(W);  // all ones: the bytes not written must stay ones
      const uint64_t value = 0x0102030405060708ull & size_mask(size);
      const BusResponse r = WordRegisters<Recorder<W>>::write(m, 2 * W + lane, value, size, 10);
      INFO("word " << W << " bytes, size " << size << " at lane " << lane);
      CHECK_FALSE(r.error);
      const uint64_t lanes = size_mask(size) << (8 * lane);
      CHECK(m.last_lanes == lanes);
      CHECK((m.last_value & lanes) == value << (8 * lane));
      CHECK(m.stored == ((size_mask(W) & ~lanes) | (value << (8 * lane))));
    }
  }
}

}  // namespace

TEST_CASE("a read returns the bytes it covers of its word, for every size at every lane", "[word_registers]") {
  check_every_read_size_and_lane<1>();
  check_every_read_size_and_lane<2>();
  check_every_read_size_and_lane<4>();
  check_every_read_size_and_lane<8>();
}

TEST_CASE("a write hands the word its bytes at their own lanes and the mask of those lanes", "[word_registers]") {
  check_every_write_size_and_lane<1>();
  check_every_write_size_and_lane<2>();
  check_every_write_size_and_lane<4>();
  check_every_write_size_and_lane<8>();
}

TEST_CASE("an access means the word its offset falls in", "[word_registers]") {
  Recorder<4> m;
  m.stored = 0xdeadbeef;
  CHECK(WordRegisters<Recorder<4>>::read(m, 0xb, 1, 5).data == 0xde);  // byte 3 of word 8
  CHECK(m.calls[1] == "mapped 8");
  CHECK(m.calls[2] == "read_word 8 at 5");
  Recorder<8> wide;  // bytes 6 and 7 of word 16
  CHECK_FALSE(WordRegisters<Recorder<8>>::write(wide, 0x16, 0xabcd, 2, 5).error);
  CHECK(wide.calls[1] == "mapped 16");
  CHECK(wide.stored == 0xabcd000000000000ull);
}

TEST_CASE("an unmapped access answers the bus error, reads 0 and reaches no register", "[word_registers]") {
  for (uint64_t offset : {uint64_t(4), uint64_t(0xd), uint64_t(0x10), uint64_t(0x1000), ~uint64_t(0)}) {
    INFO("offset " << offset);
    Recorder<4> m;
    const BusResponse r = WordRegisters<Recorder<4>>::read(m, offset, 1, 7);
    CHECK(r.error);
    CHECK(r.data == 0);
    CHECK(WordRegisters<Recorder<4>>::write(m, offset, 0xff, 1, 9).error);
    CHECK(m.stored == 0);
    CHECK(m.calls == std::vector<std::string>{"catch_up_before 7 read", "mapped " + std::to_string(offset & ~3ull),
                                              "catch_up 7", "catch_up_before 9 write",
                                              "mapped " + std::to_string(offset & ~3ull), "catch_up 9"});
  }
}

TEST_CASE("a read sees the model caught up to before its edge, and the model stands at the edge after it",
          "[word_registers]") {
  Recorder<4> m;
  WordRegisters<Recorder<4>>::read(m, 0, 4, 42);
  CHECK(m.calls == std::vector<std::string>{"catch_up_before 42 read", "mapped 0", "read_word 0 at 42", "catch_up 42"});
}

TEST_CASE("a write is applied between the catch-up before its edge and the rest of its edge", "[word_registers]") {
  Recorder<4> m;
  WordRegisters<Recorder<4>>::write(m, 8, 1, 4, 42);
  CHECK(m.calls ==
        std::vector<std::string>{"catch_up_before 42 write", "mapped 8", "write_word 8 at 42", "catch_up 42"});
}

TEST_CASE("a register may answer with an error: a read keeps its data, a write's answer is the response",
          "[word_registers]") {
  ErrorRegister m;
  const BusResponse r = WordRegisters<ErrorRegister>::read(m, 1, 2, 3);
  CHECK(r.error);
  CHECK(r.data == 0xbbcc);
  CHECK(WordRegisters<ErrorRegister>::write(m, 0, 1, 4, 3).error);
  CHECK_FALSE(WordRegisters<ErrorRegister>::write(m, 0, 0, 4, 3).error);
  CHECK(WordRegisters<ErrorRegister>::write(m, 4, 0, 4, 3).error);  // unmapped
}
