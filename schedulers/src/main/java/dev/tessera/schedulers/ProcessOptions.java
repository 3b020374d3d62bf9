package dev.tessera.schedulers;

import dev.tessera.graph.spi.Codec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of a {@link ProcessScheduler}; immutable, made with {@link #builder()}.
 *
 * <pre>{@code
 * ProcessScheduler s = Schedulers.processes(ProcessOptions.builder()
 *     .workers(4).jvmArgs("-Xmx2g").codec(MyCodec.class).build());
 * }</pre>
 */
public final class ProcessOptions {
  private final int workers;
  private final List<String> jvmArgs;
  private final boolean inheritJvmArgs;
  private final List<String> codecs;
  private final int maxDeaths;
  private final Duration startTimeout;
  private final long maxValueBytes;

  private ProcessOptions(Builder b) {
    this.workers = b.workers;
    this.jvmArgs = List.copyOf(b.jvmArgs);
    this.inheritJvmArgs = b.inheritJvmArgs;
    this.codecs = List.copyOf(b.codecs);
    this.maxDeaths = b.maxDeaths;
    this.startTimeout = b.startTimeout;
    this.maxValueBytes = b.maxValueBytes;
  }

  /** {@return a builder with the defaults: one worker per core, the parent's JVM flags} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the default options} */
  public static ProcessOptions defaults() {
    return builder().build();
  }

  /** {@return the number of worker JVMs} */
  public int workers() {
    return workers;
  }

  /** {@return extra JVM flags for the workers (after the inherited ones)} */
  public List<String> jvmArgs() {
    return jvmArgs;
  }

  /** {@return whether workers get the parent's JVM flags} */
  public boolean inheritJvmArgs() {
    return inheritJvmArgs;
  }

  /** {@return the class names of extra codecs} */
  public List<String> codecs() {
    return codecs;
  }

  /** {@return how many worker deaths one task may cause before the computation fails} */
  public int maxDeaths() {
    return maxDeaths;
  }

  /** {@return how long a new worker may take to connect} */
  public Duration startTimeout() {
    return startTimeout;
  }

  /** Returns the largest value this JVM accepts from a worker (for tests; default: any). */
  long maxValueBytes() {
    return maxValueBytes;
  }

  /** Builds {@link ProcessOptions}. */
  public static final class Builder {
    private int workers = Runtime.getRuntime().availableProcessors();
    private final List<String> jvmArgs = new ArrayList<>();
    private boolean inheritJvmArgs = true;
    private final List<String> codecs = new ArrayList<>();
    private int maxDeaths = 3;
    private Duration startTimeout = Duration.ofSeconds(60);
    private long maxValueBytes = Long.MAX_VALUE;

    private Builder() {}

    /**
     * Sets the number of worker JVMs.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder workers(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("a process pool needs at least 1 worker, got " + n);
      }
      this.workers = n;
      return this;
    }

    /**
     * Adds JVM flags for the workers, such as {@code -Xmx2g}.
     *
     * @param args the flags
     * @return this builder
     */
    public Builder jvmArgs(String... args) {
      jvmArgs.addAll(List.of(args));
      return this;
    }

    /**
     * Sets whether workers get the parent's JVM flags (default true).
     *
     * @param inherit whether to inherit
     * @return this builder
     */
    public Builder inheritJvmArgs(boolean inherit) {
      this.inheritJvmArgs = inherit;
      return this;
    }

    /**
     * Registers a codec for values of a user type; it needs a public no-argument constructor.
     *
     * @param codec the codec class
     * @return this builder
     */
    public Builder codec(Class<? extends Codec<?>> codec) {
      codecs.add(codec.getName());
      return this;
    }

    /**
     * Sets how many worker deaths one task may cause before the computation fails (default 3).
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxDeaths(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxDeaths must be at least 1, got " + n);
      }
      this.maxDeaths = n;
      return this;
    }

    /**
     * Sets how long a new worker may take to start and connect (default 60 s).
     *
     * @param timeout the time limit
     * @return this builder
     */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    /** Lowers the largest value accepted from a worker: lets tests play "too large". */
    Builder maxValueBytes(long bytes) {
      this.maxValueBytes = bytes;
      return this;
    }

    /** {@return the options} */
    public ProcessOptions build() {
      return new ProcessOptions(this);
    }
  }
}
