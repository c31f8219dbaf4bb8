// SystemRDL lexer.
#include "rdl_lexer.h"

#include <fmt/format.h>

#include "tandem/error.h"

namespace tandem::rdl {

namespace {

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

class Lexer {
 public:
  Lexer(const std::string& text, const std::string& file) : m_text(text), m_file(file) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    for (;;) {
      skip_space_and_comments();
      Token t;
      t.line = m_line;
      t.column = m_col;
      if (m_pos >= m_text.size()) {
        out.push_back(t);
        return out;
      }
      const char c = m_text[m_pos];
      if (is_ident_start(c)) {
        t.kind = TokenKind::identifier;
        t.text = take_ident();
      } else if (c == '\\' && m_pos + 1 < m_text.size() && is_ident_start(m_text[m_pos + 1])) {
        advance(1);
        t.kind = TokenKind::identifier;
        t.escaped = true;
        t.text = take_ident();
      } else if (is_digit(c)) {
        lex_number(t);
      } else if (c == '"') {
        lex_string(t);
      } else if (c == '`') {
        advance(1);
        std::string word = m_pos < m_text.size() && is_ident_start(m_text[m_pos]) ? take_ident() : "";
        fail(t, fmt::format("unsupported construct '`{}'", word));
      } else if (c == '<' && peek(1) == '%') {
        fail(t, "unsupported construct '<%'");
      } else if (c == '\'') {
        fail(t, "unsupported construct 'unsized literal'");
      } else {
        lex_punct(t);
      }
      out.push_back(std::move(t));
    }
  }

 private:
  char peek(size_t ahead) const { return m_pos + ahead < m_text.size() ? m_text[m_pos + ahead] : '\0'; }

  void advance(size_t n) {
    for (size_t i = 0; i < n && m_pos < m_text.size(); ++i) {
      if (m_text[m_pos] == '\n') {
        ++m_line;
        m_col = 1;
      } else {
        ++m_col;
      }
      ++m_pos;
    }
  }

  [[noreturn]] void fail(const Token& at, const std::string& what) const {
    throw Error(fmt::format("{}:{}:{}: {}", m_file, at.line, at.column, what));
  }

  void skip_space_and_comments() {
    for (;;) {
      if (m_pos >= m_text.size()) return;
      const char c = m_text[m_pos];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        advance(1);
      } else if (c == '/' && peek(1) == '/') {
        while (m_pos < m_text.size() && m_text[m_pos] != '\n') advance(1);
      } else if (c == '/' && peek(1) == '*') {
        Token start;
        start.line = m_line;
        start.column = m_col;
        advance(2);
        for (;;) {
          if (m_pos >= m_text.size()) fail(start, "unterminated comment");
          if (m_text[m_pos] == '*' && peek(1) == '/') {
            advance(2);
            break;
          }
          advance(1);
        }
      } else {
        return;
      }
    }
  }

  std::string take_ident() {
    const size_t start = m_pos;
    while (m_pos < m_text.size() && is_ident_char(m_text[m_pos])) advance(1);
    return m_text.substr(start, m_pos - start);
  }

  // Digits of `base` (underscores allowed between them) into a 64-bit value.
  uint64_t take_digits(const Token& t, unsigned base) {
    uint64_t v = 0;
    bool any = false;
    while (m_pos < m_text.size()) {
      const char c = m_text[m_pos];
      if (c == '_' && any) {
        advance(1);
        continue;
      }
      const int d = digit_value(c);
      if (d >= int(base)) {
        if (is_ident_char(c)) fail(t, fmt::format("bad digit '{}' in a base-{} number", c, base));
        break;
      }
      if (v > (~uint64_t(0) - unsigned(d)) / base) fail(t, "number does not fit 64 bits");
      v = v * base + unsigned(d);
      any = true;
      advance(1);
    }
    if (!any) fail(t, "number without digits");
    return v;
  }

  void lex_number(Token& t) {
    const size_t start = m_pos;
    t.kind = TokenKind::number;
    if (m_text[m_pos] == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
      advance(2);
      t.value = take_digits(t, 16);
    } else {
      t.value = take_digits(t, 10);
      if (m_pos < m_text.size() && m_text[m_pos] == '\'') {
        // Verilog-style sized literal: WIDTH'BASE DIGITS.
        const uint64_t width = t.value;
        advance(1);
        const char b = m_pos < m_text.size() ? m_text[m_pos] : '\0';
        unsigned base = 0;
        if (b == 'h' || b == 'H') base = 16;
        if (b == 'd' || b == 'D') base = 10;
        if (b == 'b' || b == 'B') base = 2;
        if (b == 'o' || b == 'O') base = 8;
        if (base == 0) fail(t, "expected a base (b, o, d or h) after ' in a sized number");
        advance(1);
        if (width == 0) fail(t, "a sized number needs a width of at least 1");
        if (width > 64) fail(t, "unsupported construct 'number wider than 64 bits'");
        t.value = take_digits(t, base);
        if (width < 64 && (t.value >> width) != 0)
          fail(t, fmt::format("value {:#x} does not fit the literal's {} bits", t.value, width));
      }
    }
    if (m_pos < m_text.size() && is_ident_char(m_text[m_pos]))
      fail(t, fmt::format("bad character '{}' after a number", m_text[m_pos]));
    t.text = m_text.substr(start, m_pos - start);
  }

  void lex_string(Token& t) {
    t.kind = TokenKind::string;
    advance(1);
    for (;;) {
      if (m_pos >= m_text.size()) fail(t, "unterminated string");
      const char c = m_text[m_pos];
      if (c == '"') {
        advance(1);
        return;
      }
      if (c == '\\' && (peek(1) == '"' || peek(1) == '\\')) {
        t.text += peek(1);
        advance(2);
        continue;
      }
      t.text += c;
      advance(1);
    }
  }

  void lex_punct(Token& t) {
    static const char* const kLong[] = {"+=", "%=", "->", "<<", ">>", "&&", "||", "==", "!=", "<=", ">=", "**", "::"};
    static const char kShort[] = "{}[]();,=@:.#+-*/%&|^~!?<>";
    t.kind = TokenKind::punct;
    for (const char* p : kLong) {
      if (m_text[m_pos] == p[0] && peek(1) == p[1]) {
        t.text = p;
        advance(2);
        return;
      }
    }
    for (const char* p = kShort; *p; ++p) {
      if (m_text[m_pos] == *p) {
        t.text = std::string(1, *p);
        advance(1);
        return;
      }
    }
    const unsigned char c = static_cast<unsigned char>(m_text[m_pos]);
    if (c >= 0x20 && c < 0x7f) fail(t, fmt::format("unexpected character '{}'", char(c)));
    fail(t, fmt::format("unexpected byte {:#04x}", unsigned(c)));
  }

  const std::string& m_text;
  const std::string& m_file;
  size_t m_pos = 0;
  unsigned m_line = 1;
  unsigned m_col = 1;
};

}  // namespace

std::vector<Token> tokenize(const std::string& text, const std::string& file) { return Lexer(text, file).run(); }

}  // namespace tandem::rdl
