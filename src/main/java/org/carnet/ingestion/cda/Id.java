package org.carnet.ingestion.cda;

import java.util.Objects;

/** An HL7 v3 instance identifier: the issuing system's OID ({@code root}) and, optionally, the value in it. */
record Id(String root, @org.jspecify.annotations.Nullable String extension) {

    public Id {
        Objects.requireNonNull(root, "root");
    }

    /** The XDS uniqueId form: {@code root^extension}, or the root alone when there is no extension. */
    String asUniqueId() {
        return extension == null ? root : root + "^" + extension;
    }
}
