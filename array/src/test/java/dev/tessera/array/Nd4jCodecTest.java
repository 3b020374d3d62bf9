package dev.tessera.array;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.graph.Delayed;
import dev.tessera.schedulers.ProcessScheduler;
import dev.tessera.schedulers.Schedulers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class Nd4jCodecTest {
  static INDArray roundTrip(INDArray a) throws Exception {
    Nd4jCodec codec = new Nd4jCodec();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      codec.write(a, out);
    }
    return codec.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }

  @Test
  void arraysAndViewsRoundTripWithTheirTypeAndShape() throws Exception {
    Nd4j.getRandom().setSeed(5);
    for (DataType t : List.of(DataType.DOUBLE, DataType.FLOAT, DataType.INT32, DataType.INT64)) {
      INDArray a = Nd4j.rand(DataType.DOUBLE, 7, 5).muli(100).castTo(t);
      INDArray back = roundTrip(a);
      assertEquals(a, back);
      assertEquals(t, back.dataType());
    }
    INDArray big = Nd4j.rand(DataType.DOUBLE, 10, 10);
    INDArray view = big.get(NDArrayIndex.interval(2, 5), NDArrayIndex.interval(1, 2, 9));
    INDArray back = roundTrip(view);
    assertEquals(view.dup(), back);
    assertEquals(3 * 4, back.length());
    assertEquals(10 * 10 * 8, new Nd4jCodec().sizeOf(big));
  }

  static INDArray block(long seed) {
    Nd4j.getRandom().setSeed(seed);
    return Nd4j.rand(DataType.DOUBLE, 50, 40);
  }

  static double total(INDArray a) {
    return a.sumNumber().doubleValue();
  }

  @Test
  void arraysTravelBetweenWorkerProcesses() {
    try (ProcessScheduler s = Schedulers.processes(2)) {
      Delayed<INDArray> b = Delayed.call(Nd4jCodecTest::block, Delayed.value(9L));
      INDArray here = block(9L);
      assertEquals(here, b.compute(s));
      assertEquals(here.sumNumber().doubleValue(),
          Delayed.call(Nd4jCodecTest::total, b).compute(s), 1e-9);
    }
  }
}
