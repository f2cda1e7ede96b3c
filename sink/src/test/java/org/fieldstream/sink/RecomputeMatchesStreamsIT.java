package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;

import org.fieldstream.seeds.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 3 on the real broker and the real ClickHouse: a generated program (duplicates, a file
 * pushed twice, a late upload, corrections, retractions) goes through the producers, the streams and
 * the sink; once the streamed tables hold the generator's expected metrics, every SQL recomputation
 * over field_events equals its streamed view grain by grain and field by field. ClickHouseVersionsIT
 * checks the same on the 26.7 engine.
 */
class RecomputeMatchesStreamsIT {

    @TempDir
    Path work;

    @Test
    void everyRecomputedFamilyEqualsItsStreamedView() throws Exception {
        try (LandedProgram program = LandedProgram.land(11L, Size.TINY, work)) {
            List<String> differences = RecomputeComparison.differences(program.clickHouse, program.database);
            assertEquals(List.of(), LandedProgram.first(differences), differences.size() + " differences between recomputation and streams");
        }
    }
}
