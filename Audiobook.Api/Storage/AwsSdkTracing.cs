// The AWS SDK for .NET v4 reports each call (S3.PutObject, DynamoDB.TransactWriteItems, ...) to a
// pluggable tracer that does nothing by default. This adapter turns those calls into
// System.Diagnostics activities, so OpenTelemetry exports them as spans under the request's span
// (OpenTelemetry.Instrumentation.AWS would do this, but it is not served by our feed).
using System.Diagnostics;
using Amazon;
using Amazon.Runtime.Telemetry;
using Amazon.Runtime.Telemetry.Tracing;

namespace Audiobook.Api.Storage;

public static class AwsSdkTracing
{
    /// <summary>Matches the "Amazon.AWS.*" source exported by ServiceDefaults.</summary>
    public const string SourceName = "Amazon.AWS.SDK";

    private static readonly ActivitySource Source = new(SourceName);
    private static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            AWSConfigs.TelemetryProvider.RegisterTracerProvider(new ActivityTracerProvider());
        }
    }

    private sealed class ActivityTracerProvider : TracerProvider
    {
        private readonly ActivityTracer tracer = new();

        public override Tracer GetTracer(string scope) => tracer;
    }

    private sealed class ActivityTracer : Tracer
    {
        public override TraceSpan CreateSpan(string name, Attributes? initialAttributes = null, SpanKind spanKind = SpanKind.INTERNAL, SpanContext? parentContext = null)
        {
            var tags = initialAttributes?.AllAttributes.Select(a => new KeyValuePair<string, object?>(a.Key, a.Value));
            var activity = Source.StartActivity(name, ToActivityKind(spanKind), Activity.Current?.Context ?? default, tags);
            return new ActivitySpan(name, activity);
        }

        private static ActivityKind ToActivityKind(SpanKind kind) => kind switch
        {
            SpanKind.CLIENT => ActivityKind.Client,
            SpanKind.SERVER => ActivityKind.Server,
            SpanKind.PRODUCER => ActivityKind.Producer,
            SpanKind.CONSUMER => ActivityKind.Consumer,
            _ => ActivityKind.Internal,
        };
    }

    private sealed class ActivitySpan : TraceSpan
    {
        private readonly Activity? activity;

        public ActivitySpan(string name, Activity? activity)
        {
            Name = name;
            this.activity = activity;
        }

        public override void EmitEvent(string name, Attributes? attributes = null) =>
            activity?.AddEvent(new ActivityEvent(name, tags: new ActivityTagsCollection(
                attributes?.AllAttributes.Select(a => new KeyValuePair<string, object?>(a.Key, a.Value)) ?? [])));

        public override void SetAttribute(string key, object value) => activity?.SetTag(key, value);

        public override void SetStatus(SpanStatus status) => activity?.SetStatus(status switch
        {
            SpanStatus.OK => ActivityStatusCode.Ok,
            SpanStatus.ERROR => ActivityStatusCode.Error,
            _ => ActivityStatusCode.Unset,
        });

        public override void RecordException(Exception exception, Attributes? attributes = null) =>
            activity?.AddException(exception);

        public override void End() => activity?.Stop();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                activity?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
