package org.carnet.ingestion;

/**
 * A coded value as the sender wrote it: {@code system} is the HL7 v2 coding-system name (e.g. {@code LN},
 * {@code MetaDMPMSS}), not a FHIR URI; any part may be null, but not all three.
 */
public record Coding(String system, String code, String display) {

    public Coding {
        if (code == null && display == null && system == null) {
            throw new IllegalArgumentException("a coding needs a code, a display or a system");
        }
    }
}
