using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Simlane.Server.Tests.Infrastructure;

/// <summary>A thin HTTP client for tests: JSON in, <see cref="ApiResponse"/> out, SORACOM credential headers when signed in.</summary>
public sealed class ApiClient(HttpClient http)
{
    public HttpClient Http => http;

    public string? OperatorId { get; private set; }

    public string? ApiKey { get; private set; }

    public string? Token { get; private set; }

    public string Email { get; private set; } = "";

    public string Password { get; private set; } = "";

    public ApiClient WithCredentials(string apiKey, string token, string? operatorId = null)
    {
        var client = new ApiClient(http) { ApiKey = apiKey, Token = token, OperatorId = operatorId ?? OperatorId, Email = Email, Password = Password };
        return client;
    }

    /// <summary>Creates a sandbox operator with a unique email and signs in as it.</summary>
    public async Task<ApiClient> SignUpAsync()
    {
        var email = $"op-{Guid.NewGuid():N}@example.com";
        const string password = "correct-horse-battery";
        var response = await PostAsync("/v1/sandbox/init", new { email, password, authKeyId = "keyId-prod", authKey = "secret-prod", coverageTypes = new[] { "jp" } });
        response.Status.ShouldBe(HttpStatusCode.Created, response.Text);
        var client = WithCredentials(response.Json["apiKey"]!.GetValue<string>(), response.Json["token"]!.GetValue<string>(), response.Json["operatorId"]!.GetValue<string>());
        client.Email = email;
        client.Password = password;
        return client;
    }

    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<ApiResponse> PostAsync(string path, object? body = null) => SendAsync(HttpMethod.Post, path, body);

    public Task<ApiResponse> PutAsync(string path, object? body) => SendAsync(HttpMethod.Put, path, body);

    public Task<ApiResponse> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    /// <summary>Sends raw text as the body, for malformed-input tests.</summary>
    public Task<ApiResponse> SendRawAsync(HttpMethod method, string path, string rawBody, string contentType = "application/json") =>
        SendAsync(method, path, new RawBody(rawBody, contentType));

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (ApiKey is not null)
        {
            request.Headers.Add("X-Soracom-API-Key", ApiKey);
            request.Headers.Add("X-Soracom-Token", Token);
        }

        request.Content = body switch
        {
            null => null,
            RawBody raw => new StringContent(raw.Text, Encoding.UTF8, MediaTypeHeaderValue.Parse(raw.ContentType)),
            JsonNode node => new StringContent(node.ToJsonString(), Encoding.UTF8, "application/json"),
            _ => new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ApiResponse(response.StatusCode, text, response.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value)));
    }

    private sealed record RawBody(string Text, string ContentType);
}

public sealed record ApiResponse(HttpStatusCode Status, string Text, IReadOnlyDictionary<string, string> Headers)
{
    public JsonNode Json => JsonNode.Parse(Text) ?? throw new InvalidOperationException("Empty JSON body");

    public JsonArray Array => (JsonArray)Json;

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;

    /// <summary>Asserts the status and, for errors, the SORACOM error code.</summary>
    public ApiResponse ShouldBe(HttpStatusCode status, string? code = null)
    {
        Status.ShouldBe(status, Text);
        if (code is not null)
        {
            Json["code"]!.GetValue<string>().ShouldBe(code, Text);
        }

        return this;
    }

    public string Str(string property) => Json[property]!.GetValue<string>();
}
