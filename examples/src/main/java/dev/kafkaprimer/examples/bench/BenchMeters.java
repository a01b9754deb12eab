package dev.kafkaprimer.examples.bench;

import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;

import dev.kafkaprimer.examples.watch.MetricsEndpoint;

/**
 * What the bench shows at {@code --metrics-port}: the stage running now ({@value #STAGE}) and the bench JVM's
 * own CPU, memory, garbage collection and threads, to watch the machine while it measures. The measured sides get
 * no meters: a listener on one side only would change the very ratio being measured (stages 2 and 3 measure what
 * a listener costs, separately). Thread-safe; close it to stop the garbage-collection listener.
 */
final class BenchMeters implements AutoCloseable {

    /** The number of the stage running now, 0 before the first and after the last. */
    static final String STAGE = "kafka.primer.bench.stage";

    private final AtomicInteger stage = new AtomicInteger();
    private final JvmGcMetrics gc;

    private BenchMeters(JvmGcMetrics gc) {
        this.gc = gc;
    }

    /** Binds the meters to the endpoint's registry, or nothing when it is switched off. */
    static BenchMeters bind(MetricsEndpoint metrics) {
        if (!metrics.enabled()) {
            return new BenchMeters(null);
        }
        MeterRegistry registry = metrics.registry();
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        BenchMeters meters = new BenchMeters(gc);
        Gauge.builder(STAGE, meters.stage, AtomicInteger::get).description("the bench stage running now")
                .strongReference(true).register(registry);
        return meters;
    }

    void running(int number) {
        stage.set(number);
    }

    @Override
    public void close() {
        stage.set(0);
        if (gc != null) {
            gc.close();
        }
    }
}
