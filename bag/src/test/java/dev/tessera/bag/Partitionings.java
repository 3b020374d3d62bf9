package dev.tessera.bag;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The same data as bags of several partitionings: one, many, ragged, empty partitions. */
final class Partitionings {
  private Partitionings() {}

  static <T> List<Bag<T>> of(List<T> data) {
    List<Bag<T>> out = new ArrayList<>();
    out.add(Bag.fromCollection(data, 1));
    out.add(Bag.fromCollection(data, 3));
    out.add(Bag.fromCollection(data, data.size() + 3)); // some partitions empty
    out.add(Bag.fromCollectionBySize(data, 1)); // one element each
    out.add(Bag.fromCollectionBySize(data, 7));
    out.add(Bag.fromSequence(data, 5));
    // ragged, with empty partitions at both ends and in the middle
    List<List<T>> parts = new ArrayList<>();
    parts.add(List.of());
    int mid = data.size() / 3;
    parts.add(data.subList(0, mid));
    parts.add(List.of());
    parts.add(data.subList(mid, data.size()));
    parts.add(List.of());
    out.add(Bag.fromPartitions(parts));
    return out;
  }

  static List<Integer> ints(int n, long seed) {
    Random r = new Random(seed);
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(r.nextInt(200) - 100);
    }
    return out;
  }

  static List<String> words(int n, long seed) {
    String[] vocab = {"a", "bé", "čaj", "日本", "x", "hello", "🙂", "zeta", "", "ß"};
    Random r = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(vocab[r.nextInt(vocab.length)]);
    }
    return out;
  }
}
