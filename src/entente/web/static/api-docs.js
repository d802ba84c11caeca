// The API's interactive documentation (/api/docs): Swagger UI, vendored in
// static/vendor/swagger-ui/, over the app's own OpenAPI schema. A file of its own, not an
// inline script, because the pages' Content-Security-Policy runs scripts from this server only.
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,          // no badge fetched from a validator on the web
    defaultModelsExpandDepth: 0,
  });
});
