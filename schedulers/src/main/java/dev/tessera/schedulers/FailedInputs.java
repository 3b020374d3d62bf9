package dev.tessera.schedulers;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The inputs of a task that failed on a worker process, as the worker sends them after its
 * error (see {@link Protocol}), so that {@link dev.tessera.graph.TaskFailedException#rerunLocally()}
 * can run the task again in the caller with exactly those values.
 *
 * @param encoded each input's codec bytes, or null when the worker could not send them
 * @param why why they are missing, when {@code encoded} is null
 */
record FailedInputs(List<byte[]> encoded, String why) {
  /** Writes {@code encoded} (null: none, because of {@code why}). */
  static void write(DataOutputStream out, byte[][] encoded, String why) throws IOException {
    if (encoded == null) {
      out.writeInt(-1);
      out.writeUTF(why);
      return;
    }
    out.writeInt(encoded.length);
    for (byte[] b : encoded) {
      Protocol.writeBytes(out, b);
    }
  }

  static FailedInputs read(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return new FailedInputs(null, in.readUTF());
    }
    List<byte[]> encoded = new ArrayList<>(n);
    for (int j = 0; j < n; j++) {
      encoded.add(Protocol.readBytes(in));
    }
    return new FailedInputs(encoded, null);
  }

  /** {@return the decoded inputs, or null (then {@link #why()} or the decoding error says why)} */
  List<Object> decode(Codecs codecs, StringBuilder why) {
    if (encoded == null) {
      why.append("the worker did not send the task's inputs: ").append(this.why);
      return null;
    }
    List<Object> values = new ArrayList<>(encoded.size());
    try {
      for (byte[] b : encoded) {
        values.add(codecs.decode(b));
      }
    } catch (IOException | RuntimeException e) {
      why.append("the task's inputs could not be decoded in the caller: ").append(e);
      return null;
    }
    return values;
  }
}
