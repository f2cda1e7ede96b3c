package org.fieldstream.producers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class AdmissionTest {

    @Test
    void onePartnerHoldsItsShareAndTheOthersKeepTheRest() {
        Admission admission = new Admission(16, 2, 4, 1024);
        List<Admission.Slot> xs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            xs.add(admission.tryEnter("X", 10));
        }
        xs.forEach(org.junit.jupiter.api.Assertions::assertNotNull);
        assertNull(admission.tryEnter("X", 10), "X beyond its share");
        assertEquals(Admission.Refusal.PARTNER_SHARE, admission.refusal("X", 10));
        for (int i = 0; i < 4; i++) {
            assertNotNull(admission.tryEnter("Y" + i, 10));
        }
        admission.leave(xs.get(0));
        assertNotNull(admission.tryEnter("X", 10), "a place given back is X's again");
    }

    @Test
    void theEndpointBoundsHoldWhateverThePartners() {
        Admission admission = new Admission(3, 1, 2, 1024);
        assertNotNull(admission.tryEnter("A", 5000));
        assertNull(admission.tryEnter("B", 5000), "one large batch at most");
        assertEquals(Admission.Refusal.ENDPOINT, admission.refusal("B", -1));
        assertNotNull(admission.tryEnter("B", 10));
        assertNotNull(admission.tryEnter("C", 10));
        assertNull(admission.tryEnter("D", 10), "three batches at most");
        assertEquals(Admission.Refusal.ENDPOINT, admission.refusal("D", 10));
        assertEquals(3, admission.inProgress());
    }
}
