using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Audiobook.Api.Accounts;

/// <summary>Issues the short-lived HS256 access tokens that every other route requires, tied to a session.</summary>
public sealed class TokenIssuer(IOptions<JwtOptions> options, TimeProvider time)
{
    public const string SessionClaim = "sid";

    public const string AccessTokenType = "at+jwt";

    private readonly JsonWebTokenHandler handler = new();

    public TokenResponse Issue(User user, RefreshToken session)
    {
        var jwt = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + jwt.AccessTokenLifetime,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, user.Id),
                new Claim(JwtRegisteredClaimNames.Email, user.Email),
                new Claim(JwtRegisteredClaimNames.Name, user.DisplayName),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
                new Claim(SessionClaim, session.SessionId),
            ]),
            SigningCredentials = new SigningCredentials(SigningKeys.Signing(jwt), SecurityAlgorithms.HmacSha256),
            // RFC 9068: an access token says so, and nothing else (an ID token, a token of another kind) is taken for one.
            TokenType = AccessTokenType,
        });
        return new TokenResponse(token, "Bearer", (int)jwt.AccessTokenLifetime.TotalSeconds, session.ToString());
    }
}
