/**
 * The FHIR R4 REST API at {@code /fhir}: HAPI's plain {@code RestfulServer} over the record vault, with the
 * interactions, search, bundles, paging and errors of the FHIR specification, and a CapabilityStatement
 * that lists exactly what Carnet answers.
 */
@org.springframework.modulith.ApplicationModule(
        displayName = "FHIR API",
        allowedDependencies = {"access", "audit", "document", "identity", "record", "search"})
@org.jspecify.annotations.NullMarked
package org.carnet.fhir;
