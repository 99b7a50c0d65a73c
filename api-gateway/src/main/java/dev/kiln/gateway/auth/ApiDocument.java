package dev.kiln.gateway.auth;

import dev.kiln.model.extraction.RecipeDocument;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * Declares the API key in the OpenAPI document, so generated clients send it and Swagger UI offers
 * an "Authorize" button ({@link AuthFilter} is what enforces it), and the artifact formats clients
 * parse.
 */
@OpenAPIDefinition(
    info = @Info(title = "Kiln API", version = "1"),
    security = @SecurityRequirement(name = ApiDocument.API_KEY),
    // why: artifacts are downloaded as files, so no operation returns these types; listing them
    // here puts the formats clients parse into the same document as the API
    components =
        @Components(
            schemas = {
              @Schema(
                  name = "RecipeDocument",
                  description =
                      "recipe.json, the recipe artifact of extraction jobs (format version v = 1)",
                  implementation = RecipeDocument.class)
            }))
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
