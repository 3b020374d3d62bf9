package dev.tessera.graph.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.graph.Delayed;
import dev.tessera.graph.Fn1;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokensTest {
  static int inc(int x) {
    return x + 1;
  }

  static int dec(int x) {
    return x - 1;
  }

  /** Builds a small expression and prints its key: run in a second JVM by the test below. */
  public static void main(String[] args) {
    System.out.println(expression().key());
  }

  static Delayed<Integer> expression() {
    Delayed<Integer> a = Delayed.call(TokensTest::inc, Delayed.value(1));
    int offset = 10;
    Fn1<Integer, Integer> captured = x -> x + offset;
    Delayed<Integer> b = Delayed.call(captured, Delayed.value(List.of(1, 2).size()));
    return Delayed.call(Integer::sum, a, b);
  }

  @Test
  void sameValuesSameToken() {
    assertEquals(Tokens.of(1, "a", 2.5, List.of(1, 2)), Tokens.of(1, "a", 2.5, List.of(1, 2)));
    assertNotEquals(Tokens.of(1, "a"), Tokens.of("a", 1));
    assertNotEquals(Tokens.of(1), Tokens.of(1L));
    assertNotEquals(Tokens.of(List.of(1, 2)), Tokens.of(List.of(2, 1)));
    assertEquals(32, Tokens.of("x").length());
  }

  @Test
  void setsAndMapsIgnoreIterationOrder() {
    Map<String, Integer> a = new LinkedHashMap<>();
    a.put("x", 1);
    a.put("y", 2);
    Map<String, Integer> b = new TreeMap<>(java.util.Comparator.reverseOrder());
    b.putAll(a);
    assertEquals(Tokens.of(a), Tokens.of(b));
    assertEquals(Tokens.of(Set.of(1, 2, 3)), Tokens.of(new java.util.TreeSet<>(Set.of(3, 2, 1))));
    Map<String, Integer> c = new HashMap<>(a);
    c.put("y", 3);
    assertNotEquals(Tokens.of(a), Tokens.of(c));
  }

  @Test
  void functionsByImplementationAndCaptures() {
    Fn1<Integer, Integer> f = TokensTest::inc;
    Fn1<Integer, Integer> g = TokensTest::inc;
    Fn1<Integer, Integer> h = TokensTest::dec;
    assertEquals(Tokens.of(f), Tokens.of(g));
    assertNotEquals(Tokens.of(f), Tokens.of(h));
    assertNotEquals(Tokens.of(adder(1)), Tokens.of(adder(2)));
    assertEquals(Tokens.of(adder(3)), Tokens.of(adder(3)));
  }

  private static Fn1<Integer, Integer> adder(int n) {
    return x -> x + n;
  }

  @Test
  void arraysByContent() {
    assertEquals(Tokens.of(new double[] {1, 2}), Tokens.of(new double[] {1, 2}));
    assertNotEquals(Tokens.of(new double[] {1, 2}), Tokens.of(new double[] {1, 3}));
    assertNotEquals(Tokens.of(new int[] {1}), Tokens.of(new long[] {1}));
  }

  @Test
  void unserializableValuesNeverCollide() {
    Object o = new Object();
    assertNotEquals(Tokens.of(o), Tokens.of(o));
  }

  @Test
  void tokenizableValuesUseTheirToken() {
    record Big(int id, double[] payload) implements Tokenizable {
      @Override
      public Object token() {
        return id;
      }
    }
    assertEquals(Tokens.of(new Big(1, new double[] {1})), Tokens.of(new Big(1, new double[] {2})));
    assertNotEquals(Tokens.of(new Big(1, null)), Tokens.of(new Big(2, null)));
  }

  @Test
  void sameExpressionSameKeysInAnotherJvm() throws Exception {
    String here = expression().key().toString();
    assertEquals(here, expression().key().toString());
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator
        + "java";
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        TokensTest.class.getName()).redirectErrorStream(true).start();
    String line;
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      line = r.readLine();
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
    assertEquals(0, p.exitValue());
    assertEquals(here, line);
  }
}
