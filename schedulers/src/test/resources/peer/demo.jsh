import dev.tessera.graph.Delayed;
import dev.tessera.schedulers.*;
record Point(int x, int y) implements java.io.Serializable { int norm() { return Math.abs(x) + Math.abs(y); } }
int inc(int x) { return x + 1; }
try (ProcessScheduler pool = Schedulers.processes(2)) {
  Delayed<Integer> a = Delayed.call(x -> inc(x) * 10, Delayed.value(4));
  Delayed<Integer> b = Delayed.call(x -> new Point(x, -x).norm(), a);
  System.out.println("jshell-total=" + b.compute(pool));
}
/exit
