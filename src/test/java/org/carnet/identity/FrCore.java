package org.carnet.identity;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.server.interceptor.validation.ValidationMessagePostProcessingInterceptor;
import ca.uhn.fhir.rest.server.interceptor.validation.ValidationMessageUnknownCodeSystemPostProcessingInterceptor;
import ca.uhn.fhir.rest.server.interceptor.validation.ValidationPostProcessingRuleJson;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.support.BaseValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.utilities.npm.NpmPackage;

/**
 * Validates R4 resources against the FR Core implementation guide (hl7.fhir.fr.core), read from the
 * package tarball kept next to the project, in {@code ../shared/data/fhir-packages}.
 *
 * <p>FR Core depends on packages that are not available offline (hl7.fhir.uv.extensions.r4 5.2.0,
 * hl7.terminology.r4, ans.fr.terminologies). So:
 *
 * <ul>
 *   <li>a profile reference {@code http://hl7.org/fhir/StructureDefinition/X|5.2.0} is answered with the R4
 *       core extension {@code X} when the R4 core has it (patient-birthPlace, humanname-assembly-order, …);
 *   <li>a code from a code system nobody here knows (e.g. the ANS TRE_R13 INSEE communes) is a warning, not an
 *       error, using HAPI's own rules for that ({@link ValidationMessageUnknownCodeSystemPostProcessingInterceptor});
 *   <li>the messages listed in {@link #TOLERATED} are downgraded to warnings, each for the reason given there.
 * </ul>
 *
 * Nothing is dropped: a downgraded message still shows in {@link #warnings}.
 */
public final class FrCore {

    static final Path PACKAGE =
            Path.of("").toAbsolutePath().resolveSibling("shared").resolve("data/fhir-packages/hl7.fhir.fr.core.tgz");

    private static final String MISSING_EXTENSIONS_VERSION = "|5.2.0";

    /**
     * Messages that are not the resource's fault, downgraded from error to warning.
     *
     * <p>fr-core-3 (Patient INS: "the COG code of the birth commune cannot be 99999") is declared with severity
     * warning, but its FHIRPath expression in FR Core 2.2.0-ballot-2 has one closing parenthesis too many, so the
     * validator reports, as an error, that it cannot parse it — on every Patient INS. Matched by message id and by
     * the end of the broken expression, so another unparsable constraint still fails the test.
     */
    static final List<ValidationPostProcessingRuleJson> TOLERATED = List.of(new ValidationPostProcessingRuleJson(
            "Problem_processing_expression__in_profile__path__",
            null,
            List.of(ResultSeverityEnum.ERROR),
            List.of(
                    "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-ins",
                    ".value.code != '99999')'",
                    "Premature ExpressionNode termination at unexpected token \")\""),
            ResultSeverityEnum.WARNING));

    /**
     * FR Core slices {@code Patient.contact.relationship} by value on {@code $this} with only extensible bindings
     * to ANS terminologies (TRE_R260, TRE_R216) that are not in the package: the validator reports on every
     * contact that the slicing "cannot be evaluated". That is a property of the profile, not of the resource:
     * downgraded to a warning, matched on both the slice path and the validator's wording.
     */
    private static boolean isUnevaluableContactSlicing(SingleValidationMessage message) {
        String text = message.getMessage();
        return text != null
                && text.contains("Slicing cannot be evaluated: Could not match discriminator ($this) for slice"
                        + " Patient.contact.relationship:")
                && text.contains("does not have fixed value, binding or existence assertions");
    }

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final NpmPackage npm;
    private final FhirValidator validator;
    private final ValidationMessagePostProcessingInterceptor downgrades;

    private FrCore(NpmPackage npm, FhirValidator validator) {
        this.npm = npm;
        this.validator = validator;
        this.downgrades = new ValidationMessageUnknownCodeSystemPostProcessingInterceptor(
                        IValidationSupport.IssueSeverity.WARNING)
                .addPostProcessingPatterns(TOLERATED);
    }

    /** The FR Core validator, or empty when the package is not on this machine. Built once: it is slow. */
    public static Optional<FrCore> load() {
        return Holder.INSTANCE;
    }

    /** The FR Core validator; skips the calling test, saying why, when the package is absent. */
    public static FrCore loadOrSkip() {
        Optional<FrCore> frCore = load();
        assumeTrue(
                frCore.isPresent(),
                "FR Core package not found at " + PACKAGE
                        + ": conformance test skipped (it runs where ../shared is present)");
        return frCore.orElseThrow();
    }

    /** Error and fatal messages, each as "location: message". */
    public List<String> errors(IBaseResource resource) {
        return messages(resource, Set.of(ResultSeverityEnum.ERROR, ResultSeverityEnum.FATAL));
    }

    /** Warning messages, each as "location: message". */
    public List<String> warnings(IBaseResource resource) {
        return messages(resource, Set.of(ResultSeverityEnum.WARNING));
    }

    /** A fresh copy of one of the package's examples, e.g. {@code "Patient-FRCorePatientExample.json"}. */
    public <T extends IBaseResource> T example(Class<T> type, String fileName) {
        try {
            byte[] json = npm.getFolders().get("example").fetchFile(fileName);
            if (json == null) {
                throw new IllegalArgumentException("no example " + fileName + " in " + PACKAGE);
            }
            return FHIR.newJsonParser().parseResource(type, new String(json, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> messages(IBaseResource resource, Set<ResultSeverityEnum> severities) {
        ValidationResult result = validator.validateWithResult(resource);
        downgrades.handle(result); // rewrites the severities in place
        result.getMessages().stream()
                .filter(FrCore::isUnevaluableContactSlicing)
                .forEach(message -> message.setSeverity(ResultSeverityEnum.WARNING));
        return result.getMessages().stream()
                .filter(message -> severities.contains(message.getSeverity()))
                .map(FrCore::describe)
                .toList();
    }

    private static String describe(SingleValidationMessage message) {
        return message.getLocationString() + ": " + message.getMessage();
    }

    private static Optional<FrCore> build() {
        if (!Files.isRegularFile(PACKAGE)) {
            return Optional.empty();
        }
        long start = System.nanoTime();
        try (InputStream in = Files.newInputStream(PACKAGE)) {
            NpmPackage npm = NpmPackage.fromPackage(in);
            DefaultProfileValidationSupport r4Core = new DefaultProfileValidationSupport(FHIR);
            ValidationSupportChain chain = new ValidationSupportChain(
                    r4Core,
                    conformanceResources(npm),
                    new R4CoreExtensionsForMissingPackage(r4Core),
                    new CommonCodeSystemsTerminologyService(FHIR),
                    new InMemoryTerminologyServerValidationSupport(FHIR),
                    new SnapshotGeneratingValidationSupport(FHIR));
            FrCore frCore =
                    new FrCore(npm, FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(chain)));
            // The chain loads and indexes definitions lazily: the first validation is where the time goes.
            frCore.errors(frCore.example(Patient.class, "Patient-FRCorePatientExample.json"));
            System.out.printf(
                    "FR Core %s validator built in %d ms%n", npm.version(), (System.nanoTime() - start) / 1_000_000);
            return Optional.of(frCore);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + PACKAGE, e);
        }
    }

    /** The package's StructureDefinitions, ValueSets and CodeSystems, as listed by its .index.json. */
    private static PrePopulatedValidationSupport conformanceResources(NpmPackage npm) throws IOException {
        PrePopulatedValidationSupport support = new PrePopulatedValidationSupport(FHIR);
        IParser parser = FHIR.newJsonParser();
        NpmPackage.NpmPackageFolder folder = npm.getFolders().get("package");
        for (String type : List.of("StructureDefinition", "ValueSet", "CodeSystem")) {
            for (String file : folder.getTypes().getOrDefault(type, List.of())) {
                support.addResource(parser.parseResource(new String(folder.fetchFile(file), StandardCharsets.UTF_8)));
            }
        }
        return support;
    }

    /**
     * Answers {@code http://hl7.org/fhir/StructureDefinition/X|5.2.0} (hl7.fhir.uv.extensions.r4, not available
     * here) with the R4 core's {@code X}. FR Core 2.2.0-ballot-2 refers so to patient-birthPlace,
     * humanname-assembly-order, organization-period and workflow-supportingInfo, all in the R4 core; its
     * {@code note|5.2.0} (Organization profiles) is not, stays unresolved and is reported as such.
     */
    private static final class R4CoreExtensionsForMissingPackage extends BaseValidationSupport {

        private final IValidationSupport r4Core;

        R4CoreExtensionsForMissingPackage(IValidationSupport r4Core) {
            super(r4Core.getFhirContext());
            this.r4Core = r4Core;
        }

        @Override
        public String getName() {
            return "R4 core extensions for hl7.fhir.uv.extensions.r4 5.2.0";
        }

        @Override
        public IBaseResource fetchStructureDefinition(String url) {
            if (!url.startsWith("http://hl7.org/fhir/StructureDefinition/")
                    || !url.endsWith(MISSING_EXTENSIONS_VERSION)) {
                return null;
            }
            String unversioned = url.substring(0, url.length() - MISSING_EXTENSIONS_VERSION.length());
            return r4Core.fetchStructureDefinition(unversioned);
        }
    }

    private static final class Holder {
        static final Optional<FrCore> INSTANCE = build();
    }
}
