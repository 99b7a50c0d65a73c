package dev.kiln.gateway.auth;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * Declares the API key in the OpenAPI document, so generated clients send it and Swagger UI offers
 * an "Authorize" button. {@link AuthFilter} is what enforces it.
 */
@OpenAPIDefinition(
    info = @Info(title = "Kiln API", version = "1"),
    security = @SecurityRequirement(name = ApiDocument.API_KEY))
@SecurityScheme(
    securitySchemeName = ApiDocument.API_KEY,
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description =
        "An API key (kiln_…) as Authorization: Bearer <key>. Keys belong to a tenant and have the"
            + " role viewer, submitter or admin.")
public class ApiDocument extends Application {

  static final String API_KEY = "apiKey";
}
