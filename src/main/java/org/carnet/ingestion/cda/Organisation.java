package org.carnet.ingestion.cda;

/**
 * An organisation a CDA header names (its custodian): its first identifier, usually the national structure id
 * (root {@code 1.2.250.1.71.4.2.2}, extension {@code 1} + FINESS, {@code 3} + SIRET, ...), and its name; either may
 * be null, not both.
 */
record Organisation(
        @org.jspecify.annotations.Nullable Id id,
        @org.jspecify.annotations.Nullable String name) {

    public Organisation {
        if (id == null && name == null) {
            throw new IllegalArgumentException("an organisation needs an identifier or a name");
        }
    }
}
