package org.carnet.access;

import java.util.Arrays;
import java.util.Optional;

/** How a professional reaches a record: with authorisation, or in one of the two emergency modes. */
public enum AccessMode {
    NORMAL("normal"),
    /** Immediate risk, the patient cannot consent. */
    BRIS_DE_GLACE("bris-de-glace"),
    /** The SAMU regulating doctor (centre 15). */
    CENTRE_15("centre-15");

    private final String code;

    AccessMode(String code) {
        this.code = code;
    }

    /** The code used in headers, operations and audit entries. */
    public String code() {
        return code;
    }

    public boolean isEmergency() {
        return this != NORMAL;
    }

    public static Optional<AccessMode> ofCode(String code) {
        return Arrays.stream(values()).filter(m -> m.code.equals(code)).findFirst();
    }
}
