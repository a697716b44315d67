using System.Net.Http.Headers;
using Microsoft.Kiota.Abstractions;
using MigrationEngine.Adapters.Graph.Http;

namespace MigrationEngine.Adapters.Graph;

/// <summary>
/// The byte ranges of an attachment upload session, for messages and events alike
/// (https://learn.microsoft.com/graph/api/attachment-createuploadsession, https://learn.microsoft.com/graph/outlook-large-attachments):
/// sequential PUTs to the pre-authenticated upload URL, without the bearer token (the upload pipeline has none), each with
/// its Content-Range, at most 4 MB and a multiple of 320 KiB except the last (<see cref="GraphTargetOptions.UploadChunkSize"/>,
/// 10 × 320 KiB), charged to the mailbox's budget like every request sent on its behalf.
/// </summary>
internal static class GraphUploadSession
{
    public static async Task PutRangesAsync(GraphConnection connection, string userId, string uploadUrl, byte[] content, string name, CancellationToken cancellationToken)
    {
        var chunkSize = connection.Options.UploadChunkSize;
        var total = content.Length;
        for (var offset = 0; offset < total; offset += chunkSize)
        {
            var count = Math.Min(chunkSize, total - offset);
            using var request = new HttpRequestMessage(HttpMethod.Put, uploadUrl) { Content = new ByteArrayContent(content, offset, count) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            request.Content.Headers.ContentRange = new ContentRangeHeaderValue(offset, offset + count - 1, total);
            new MailboxRequestOption { Mailbox = userId }.ApplyTo(request);
            using var response = await connection.UploadHttp.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw new ApiException($"upload of attachment {name} failed at byte {offset}: {(int)response.StatusCode} {(body.Length <= 300 ? body : body[..300])}")
                {
                    ResponseStatusCode = (int)response.StatusCode,
                };
            }
        }
    }
}
