package org.carnet.record;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.PerformanceOptionsEnum;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RecordConfiguration {

    /** One FHIR R4 context for the application; parsers reject unknown elements instead of dropping data. */
    @Bean
    FhirContext fhirContext() {
        FhirContext context = FhirContext.forR4();
        context.setPerformanceOptions(List.of(PerformanceOptionsEnum.DEFERRED_MODEL_SCANNING));
        context.setParserErrorHandler(new StrictErrorHandler());
        // Stored resources carry literal references only: skip HAPI's per-resource scans for object references
        // to contain or versions to strip (they cost a third of the time of serving a page of results).
        context.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        context.getParserOptions().setStripVersionsFromReferences(false);
        // FhirPath (the search parameters' expressions) asks the context for conformance resources it never uses for
        // them; HAPI's default support would look for the R4 definitions (a validation jar Carnet does not ship) and
        // warn at every start. An empty support gives the same answers, in tests and in production alike.
        context.setValidationSupport(new ca.uhn.fhir.context.support.IValidationSupport() {
            @Override
            public FhirContext getFhirContext() {
                return context;
            }

            @Override
            public List<org.hl7.fhir.instance.model.api.IBaseResource> fetchAllConformanceResources() {
                return new java.util.ArrayList<>();
            }

            @Override
            public <T extends org.hl7.fhir.instance.model.api.IBaseResource> List<T> fetchAllStructureDefinitions() {
                return new java.util.ArrayList<>();
            }
        });
        return context;
    }

    @Bean
    SearchParameters searchParameters(FhirContext context) {
        return new SearchParameters(context);
    }
}
