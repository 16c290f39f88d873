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
        return context;
    }

    @Bean
    SearchParameters searchParameters(FhirContext context) {
        return new SearchParameters(context);
    }
}
