/**
 * Synthetic French health records for the demo, the tests and the benchmarks: deterministic for a seed,
 * realistic identities (valid NIRs under the test or demo INS OIDs only), professionals, care pathways, French
 * clinical prose with negations, family history and buried weak signals, written in the formats real senders
 * use (FHIR R4 bundles, CDA R2, HL7 v2.5, PDF, insurer CSV), with ground-truth judgments for search evaluation.
 */
@org.springframework.modulith.ApplicationModule(
        displayName = "Synthetic data",
        allowedDependencies = {"identity"})
@org.jspecify.annotations.NullMarked
package org.carnet.synthetic;
