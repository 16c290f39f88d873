package org.carnet.ingestion.cda;

import java.time.Instant;

/**
 * A person (or device) who wrote or authenticated a CDA document, as the header names them: their identifier
 * (usually the IdNat_PS, root {@code 1.2.250.1.71.4.2.1}), name, role (profession/specialty code), the organisation
 * they acted for ({@code representedOrganization}: its name and first identifier, usually the national structure id,
 * root {@code 1.2.250.1.71.4.2.2}) and the time they authored or signed. Any part the header leaves out is null.
 */
record Author(
        @org.jspecify.annotations.Nullable String idRoot,
        @org.jspecify.annotations.Nullable String idExtension,
        @org.jspecify.annotations.Nullable String family,
        @org.jspecify.annotations.Nullable String given,
        @org.jspecify.annotations.Nullable Coding role,
        @org.jspecify.annotations.Nullable String organisation,
        @org.jspecify.annotations.Nullable Id organisationId,
        @org.jspecify.annotations.Nullable Instant time) {}
