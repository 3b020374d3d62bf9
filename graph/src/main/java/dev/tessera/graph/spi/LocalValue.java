package dev.tessera.graph.spi;

import dev.tessera.graph.TesseraException;
import dev.tessera.graph.core.Key;

/** A result in this heap: what the local schedulers hand out. */
final class LocalValue implements RemoteValue {
  private final Key key;
  private final long sizeBytes;
  private volatile Object value;
  private volatile boolean released;

  LocalValue(Key key, Object value, long sizeBytes) {
    this.key = key;
    this.value = value;
    this.sizeBytes = sizeBytes;
  }

  @Override
  public Key key() {
    return key;
  }

  @Override
  public long sizeBytes() {
    return sizeBytes;
  }

  @Override
  public Object fetch() {
    if (released) {
      throw new TesseraException("the result of " + key + " was released; compute it again");
    }
    return value;
  }

  @Override
  public void release() {
    released = true;
    value = null;
  }

  @Override
  public boolean isReleased() {
    return released;
  }

  @Override
  public String toString() {
    return "LocalValue(" + key + ")";
  }
}
