package org.carnet.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;

/** HAPI's plain RESTful server, wired to Carnet's providers. */
final class CarnetFhirServer extends RestfulServer {

    private final transient List<IResourceProvider> resourceProviders;
    private final transient List<Object> plainProviders;
    private final transient CapabilityStatementProvider capabilities;
    private final transient ResultStore results;
    private final transient Audits audits;

    CarnetFhirServer(
            FhirContext context,
            List<IResourceProvider> resourceProviders,
            List<Object> plainProviders,
            CapabilityStatementProvider capabilities,
            ResultStore results,
            Audits audits) {
        super(context);
        this.audits = audits;
        this.resourceProviders = resourceProviders;
        this.plainProviders = plainProviders;
        this.capabilities = capabilities;
        this.results = results;
    }

    @Override
    protected void initialize() {
        setDefaultResponseEncoding(EncodingEnum.JSON);
        setServerConformanceProvider(capabilities);
        setResourceProviders(resourceProviders);
        setPlainProviders(plainProviders);
        setPagingProvider(results);
        setDefaultPageSize(results.getDefaultPageSize());
        setMaximumPageSize(results.getMaximumPageSize());
        registerInterceptor(new ErrorInterceptor());
        registerInterceptor(new AuditInterceptor(audits));
    }
}
