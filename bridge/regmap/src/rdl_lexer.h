// SystemRDL tokens: identifiers, numbers (decimal, 0x hex, Verilog-sized 4'hF), strings and
// punctuation, each with its line and column. Preprocessor directives are refused here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tandem::rdl {

enum class TokenKind : uint8_t { identifier, number, string, punct, end };

struct Token {
  TokenKind kind = TokenKind::end;
  std::string text;      // identifier name, string contents (unescaped), punctuation, number spelling
  uint64_t value = 0;    // numbers
  bool escaped = false;  // `\name`: an identifier that is never a keyword
  unsigned line = 1;
  unsigned column = 1;

  bool is(const char* punct) const { return kind == TokenKind::punct && text == punct; }
  bool is_word(const char* word) const { return kind == TokenKind::identifier && !escaped && text == word; }
};

// The tokens of `text`, ending with one `end` token. Throws Error "FILE:LINE:COL: problem".
std::vector<Token> tokenize(const std::string& text, const std::string& file);

}  // namespace tandem::rdl
