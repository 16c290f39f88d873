package org.carnet.fhir;

import ca.uhn.fhir.rest.server.IResourceProvider;
import java.util.ArrayList;
import java.util.List;
import org.carnet.record.RecordVault;
import org.carnet.record.SupportedTypes;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class FhirConfiguration {

    @Bean
    ServletRegistrationBean<CarnetFhirServer> fhirServlet(
            RecordVault vault,
            Searches searches,
            Bundles bundles,
            FhirProperties properties,
            TransactionTemplate transactions,
            ObjectProvider<BuildProperties> build) {
        List<IResourceProvider> providers = new ArrayList<>();
        for (String type : SupportedTypes.ALL) {
            providers.add(new ResourceTypeProvider(
                    vault.fhirContext().getResourceDefinition(type).getImplementingClass(),
                    vault,
                    searches,
                    transactions));
        }
        List<Object> plain = List.of(new SystemProvider(bundles), new EverythingProvider(vault));
        String version = build.getIfAvailable() == null ? "dev" : build.getIfAvailable().getVersion();
        CarnetFhirServer server = new CarnetFhirServer(
                vault.fhirContext(), providers, plain, new CapabilityStatementProvider(vault, version), properties);
        ServletRegistrationBean<CarnetFhirServer> registration = new ServletRegistrationBean<>(server, "/fhir/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RequestSizeFilter> fhirRequestSizeFilter(FhirProperties properties) {
        FilterRegistrationBean<RequestSizeFilter> registration =
                new FilterRegistrationBean<>(new RequestSizeFilter(properties.maxRequestBytes()));
        registration.addUrlPatterns("/fhir/*");
        return registration;
    }
}
