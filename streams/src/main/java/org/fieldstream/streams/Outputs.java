package org.fieldstream.streams;

import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.fieldstream.events.Topic;

/** Routes a processor's mixed metric output to one topic per metric type, every node named. */
final class Outputs {

    private final KStream<String, ? extends Object> stream;
    private final String namePrefix;

    Outputs(KStream<String, ? extends Object> stream, String namePrefix) {
        this.stream = stream;
        this.namePrefix = namePrefix;
    }

    <T extends SpecificRecordBase> void route(Class<T> type, Predicate<T> accept, String name, Topic<String, T> topic) {
        String base = namePrefix + "-" + name;
        stream.filter((key, value) -> type.isInstance(value) && accept.test(type.cast(value)), Named.as(base + "-filter"))
                .mapValues(value -> type.cast(value), Named.as(base + "-cast"))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde()).withName(base + "-sink"));
    }
}
