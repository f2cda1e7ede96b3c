package org.fieldstream.streams.bench;

import java.util.Map;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/** Benchmark only: leaves Kafka Streams' own RocksDB options untouched, to compare with the bounded configuration. */
public final class DefaultRocksDbConfig implements RocksDBConfigSetter {

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        // Kafka Streams' defaults.
    }

    @Override
    public void close(String storeName, Options options) {
        // Nothing was created.
    }
}
