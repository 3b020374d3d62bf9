import dev.tessera.graph.Delayed;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.util.ArrayList;
import java.util.List;

/** A single-file program (java Demo.java): its classes exist only in the launcher's memory. */
public class Demo {
  record Point(int x, int y) implements java.io.Serializable {
    int norm() {
      return Math.abs(x) + Math.abs(y);
    }
  }

  static int inc(int x) {
    return x + 1;
  }

  public static void main(String[] args) {
    try (ProcessScheduler pool = Schedulers.processes(2)) {
      List<Delayed<Integer>> parts = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        int k = i;
        Delayed<Integer> a = Delayed.call(Demo::inc, Delayed.value(i));             // method ref
        parts.add(Delayed.call(x -> new Point(x, -k).norm(), a));                    // lambda
      }
      Delayed<Point> p = Delayed.call(n -> new Point(n, n), Delayed.value(3));       // a result
      Delayed<Integer> total = Delayed.call(xs -> xs.stream().mapToInt(v -> v).sum(),
          Delayed.list(parts));
      System.out.println("total=" + total.compute(pool) + " point=" + p.compute(pool).norm());
    }
  }
}
