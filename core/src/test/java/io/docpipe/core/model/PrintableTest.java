package io.docpipe.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {

  @Test
  void controlCharactersAreEscaped_andEveryOtherCharacterIsKept() {
    assertThat(Printable.of("red\u001b[31m.txt")).isEqualTo("red\\x1b[31m.txt");
    assertThat(Printable.of("csi\u009b2J")).isEqualTo("csi\\x9b2J");
    assertThat(Printable.of("a\nforged line\r")).isEqualTo("a\\x0aforged line\\x0d");
    assertThat(Printable.of("del\u007f")).isEqualTo("del\\x7f");
    assertThat(Printable.of("abc\u202egnp.exe")).isEqualTo("abc\\u202egnp.exe");
    String kept = "Grüße/文書 \uD83D\uDE00 tab-free.md";
    assertThat(Printable.of(kept)).isSameAs(kept);
    assertThat(Printable.of(null)).isEqualTo("null");
  }
}
