package org.carnet.record;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.carnet.synthetic.SyntheticData;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** The plain paths walked through the model reach exactly what the FHIRPath engine reaches. */
class ElementPathsTests {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void everyPlainPathReachesWhatTheEngineReachesOnGeneratedRecords() {
        SearchParameters parameters = new SearchParameters(FHIR);
        SearchIndexer indexer = new SearchIndexer(FHIR, parameters);
        ElementPaths paths = new ElementPaths(FHIR);
        SyntheticData data = new SyntheticData(new SyntheticData.Options(
                SyntheticData.Profile.DEMO, 7, 6, Set.of("fhir"), SyntheticData.DEFAULT_TODAY));
        List<Resource> resources = new ArrayList<>();
        data.directoryBundle().getEntry().forEach(e -> resources.add(e.getResource()));
        for (int i = 0; i < 6; i++) {
            for (Bundle bundle : data.patientBundles(i)) {
                bundle.getEntry().forEach(e -> resources.add(e.getResource()));
            }
        }
        int walked = 0;
        int nonEmpty = 0;
        int castsReaching = 0;
        Set<String> types = new java.util.TreeSet<>();
        for (Resource resource : resources) {
            types.add(resource.fhirType());
            for (SearchParameters.Compiled compiled :
                    parameters.of(resource.fhirType()).values()) {
                for (SearchParameters.CompiledPath path : compiled.paths()) {
                    if (path.walk().isEmpty()) {
                        continue;
                    }
                    Optional<List<IBase>> result =
                            paths.walk(resource, path.walk().get());
                    assertThat(result)
                            .as(resource.fhirType() + "." + path.walk().get())
                            .isPresent();
                    List<IBase> expected = indexer.evaluated(resource, path);
                    assertThat(identities(result.get()))
                            .as(resource.fhirType() + " " + compiled.param().name() + " "
                                    + path.walk().get())
                            .isEqualTo(identities(expected));
                    walked++;
                    nonEmpty += expected.isEmpty() ? 0 : 1;
                    castsReaching += expected.isEmpty() || path.walk().get().type() == null ? 0 : 1;
                }
            }
        }
        assertThat(types).as("the generated records hold many types").hasSizeGreaterThan(8);
        assertThat(walked).isGreaterThan(1000);
        assertThat(nonEmpty).as("paths that reach something").isGreaterThan(300);
        assertThat(castsReaching)
                .as("paths ending with a cast that reach something")
                .isGreaterThan(5);
    }

    @Test
    void onlyPlainPathsAreWalked() {
        assertThat(ElementPaths.walkOf("Observation.code")).contains(new ElementPaths.Walk(List.of("code"), null));
        assertThat(ElementPaths.walkOf("Patient.name.given"))
                .contains(new ElementPaths.Walk(List.of("name", "given"), null));
        assertThat(ElementPaths.walkOf("(Observation.value as CodeableConcept)"))
                .contains(new ElementPaths.Walk(List.of("value"), "CodeableConcept"));
        assertThat(ElementPaths.walkOf("Condition.onset.as(dateTime)"))
                .contains(new ElementPaths.Walk(List.of("onset"), "dateTime"));
        assertThat(ElementPaths.walkOf("(Observation.value as CodeableConcept).text"))
                .isEmpty();
        assertThat(ElementPaths.walkOf("Patient.telecom.where(system='email')")).isEmpty();
        assertThat(ElementPaths.walkOf("Patient.extension('http://x').value")).isEmpty();
        assertThat(ElementPaths.walkOf("Bundle.entry[0].resource")).isEmpty();
        assertThat(ElementPaths.walkOf("(Observation.effective)")).isEmpty();
    }

    /** The very elements, in order (the engine returns the model's own objects). */
    private static List<Integer> identities(List<IBase> elements) {
        List<Integer> ids = new ArrayList<>();
        IdentityHashMap<IBase, Integer> seen = new IdentityHashMap<>();
        for (IBase element : elements) {
            ids.add(seen.computeIfAbsent(element, System::identityHashCode));
        }
        return ids;
    }
}
