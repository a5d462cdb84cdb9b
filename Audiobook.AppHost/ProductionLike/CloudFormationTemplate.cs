using YamlDotNet.RepresentationModel;

namespace Audiobook.AppHost.ProductionLike;

/// <summary>
/// A CloudFormation template read with its intrinsic functions resolved, as CloudFormation resolves
/// them, against <see cref="TemplateContext"/>: parameters, pseudo parameters, the exports of other
/// stacks and stand-ins for what only AWS creates (an API's id, a distribution's domain). The
/// production-like profile takes the function's environment, the role's policy and the edge's settings
/// from aws/service.yaml this way, so nothing of production's configuration is written twice.
/// Anything the resolver does not know — a function, a resource without a stand-in — is an error
/// naming it, never a guess.
/// </summary>
public sealed class CloudFormationTemplate
{
    /// <summary><c>AWS::NoValue</c>: the property or list item is left out.</summary>
    public static readonly object NoValue = new();

    private readonly YamlMappingNode root;

    private CloudFormationTemplate(YamlMappingNode root) => this.root = root;

    public static CloudFormationTemplate Load(string path)
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(path);
        stream.Load(reader);
        return new CloudFormationTemplate((YamlMappingNode)stream.Documents[0].RootNode);
    }

    /// <summary>A parameter's default, or null when it has none.</summary>
    public string? ParameterDefault(string name) =>
        Child(Child(root, "Parameters"), name) is YamlMappingNode parameter && Child(parameter, "Default") is YamlScalarNode value ? value.Value : null;

    /// <summary>Whether the parameter is a CommaDelimitedList (a Ref to it is a list).</summary>
    public bool IsListParameter(string name) =>
        Child(Child(root, "Parameters"), name) is YamlMappingNode parameter
        && (Child(parameter, "Type") as YamlScalarNode)?.Value is "CommaDelimitedList" or "List<String>";

    /// <summary>The resolved value at a path below Resources, e.g. ("ApiRole", "Properties", "Policies").</summary>
    public object? Resolve(TemplateContext context, params string[] resourcePath)
    {
        YamlNode? node = Child(root, "Resources");
        foreach (var key in resourcePath)
        {
            node = Child(node, key) ?? throw new KeyNotFoundException($"The template has nothing at Resources/{string.Join('/', resourcePath)}.");
        }
        return new Resolution(this, context).Value(node!);
    }

    /// <summary>A resolved mapping of strings (e.g. a function's environment), without the entries that resolved to NoValue.</summary>
    public IReadOnlyDictionary<string, string> ResolveStrings(TemplateContext context, params string[] resourcePath) =>
        ((IReadOnlyDictionary<string, object?>)Resolve(context, resourcePath)!)
            .ToDictionary(entry => entry.Key, entry => entry.Value as string
                ?? throw new InvalidOperationException($"{string.Join('/', resourcePath)}/{entry.Key} did not resolve to a string."));

    /// <summary>The resource's <c>Condition</c>, evaluated (true when it has none).</summary>
    public bool IsCreated(TemplateContext context, string resource) =>
        Child(Child(Child(root, "Resources"), resource), "Condition") is not YamlScalarNode condition
        || new Resolution(this, context).Condition(condition.Value!);

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    /// <summary>One resolution: evaluates conditions once each.</summary>
    private sealed class Resolution(CloudFormationTemplate template, TemplateContext context)
    {
        private readonly Dictionary<string, bool> conditions = [];

        public object? Value(YamlNode node) => node switch
        {
            YamlScalarNode scalar when scalar.Tag.IsEmpty || scalar.Tag.Value is "tag:yaml.org,2002:str" => scalar.Value,
            YamlSequenceNode sequence when sequence.Tag.IsEmpty => sequence.Children.Select(Value).Where(v => v != NoValue).ToList(),
            YamlMappingNode mapping when mapping.Tag.IsEmpty && mapping.Children.Count == 1
                && ((YamlScalarNode)mapping.Children.Keys.Single()).Value is { } key && (key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal))
                => Function(key == "Ref" ? "Ref" : key[4..], mapping.Children.Values.Single()),
            YamlMappingNode mapping when mapping.Tag.IsEmpty => mapping.Children
                .Select(c => (Key: ((YamlScalarNode)c.Key).Value!, Value: Value(c.Value)))
                .Where(c => c.Value != NoValue)
                .ToDictionary(c => c.Key, c => c.Value),
            _ => Function(node.Tag.Value.TrimStart('!'), Untagged(node)),
        };

        public bool Condition(string name)
        {
            if (!conditions.TryGetValue(name, out var value))
            {
                var definition = Child(Child(template.root, "Conditions"), name)
                    ?? throw new KeyNotFoundException($"The template has no condition {name}.");
                conditions[name] = value = Truth(definition);
            }
            return value;
        }

        private bool Truth(YamlNode node) => Value(node) switch
        {
            bool b => b,
            var other => throw new InvalidOperationException($"A condition resolved to '{other}', not true or false."),
        };

        private object? Function(string name, YamlNode argument) => name switch
        {
            "Ref" => Ref(Text(argument)),
            "GetAtt" => context.StandIns.Attribute(argument is YamlSequenceNode parts ? string.Join('.', parts.Children.Select(Text)) : Text(argument)),
            "Sub" => Sub(argument),
            "Join" => string.Join(Text(Item(argument, 0)), Strings(Value(Item(argument, 1)))),
            "Select" => Strings(Value(Item(argument, 1)))[int.Parse(Text(Item(argument, 0)), System.Globalization.CultureInfo.InvariantCulture)],
            "Split" => Text(Item(argument, 1)).Split(Text(Item(argument, 0))).ToList<object?>(),
            "ImportValue" => context.Import(Text(argument)),
            "If" => Condition(Text(Item(argument, 0))) ? Value(Item(argument, 1)) : Value(Item(argument, 2)),
            "Equals" => string.Equals(Value(Item(argument, 0)) as string, Value(Item(argument, 1)) as string, StringComparison.Ordinal),
            "Not" => !Truth(Item(argument, 0)),
            "And" => ((YamlSequenceNode)argument).Children.All(Truth),
            "Or" => ((YamlSequenceNode)argument).Children.Any(Truth),
            "Condition" => Condition(Text(argument)),
            _ => throw new NotSupportedException($"The template uses Fn::{name}, which the production-like profile cannot resolve."),
        };

        private object? Ref(string name) => name switch
        {
            "AWS::NoValue" => NoValue,
            "AWS::Region" => context.Region,
            "AWS::AccountId" => context.AccountId,
            "AWS::Partition" => "aws",
            "AWS::URLSuffix" => "amazonaws.com",
            _ when context.Parameters.TryGetValue(name, out var value) || template.ParameterDefault(name) is { } _ =>
                Parameter(name, context.Parameters.TryGetValue(name, out var given) ? given : template.ParameterDefault(name)!),
            _ => context.StandIns.Ref(name),
        };

        private object Parameter(string name, string value) =>
            template.IsListParameter(name) ? value.Split(',').Select(v => (object?)v.Trim()).ToList() : value;

        private string Sub(YamlNode argument)
        {
            var (text, variables) = argument is YamlSequenceNode list
                ? (Text(list.Children[0]), ((YamlMappingNode)list.Children[1]).Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => Value(c.Value)))
                : (Text(argument), new Dictionary<string, object?>());
            return System.Text.RegularExpressions.Regex.Replace(text, @"\$\{(!?)([^}]+)\}", match =>
            {
                var name = match.Groups[2].Value;
                if (match.Groups[1].Value == "!")
                {
                    return "${" + name + "}";
                }
                var value = variables.TryGetValue(name, out var given) ? given
                    : name.Contains('.', StringComparison.Ordinal) && !name.StartsWith("AWS::", StringComparison.Ordinal) ? context.StandIns.Attribute(name)
                    : Ref(name);
                return value as string ?? throw new InvalidOperationException($"${{{name}}} in Fn::Sub did not resolve to a string.");
            });
        }

        private string Text(YamlNode node) => Value(node) as string
            ?? throw new InvalidOperationException($"Expected a string at line {node.Start.Line} of the template.");

        private static YamlNode Item(YamlNode node, int index) => ((YamlSequenceNode)node).Children[index];

        private static List<string> Strings(object? value) => value switch
        {
            string s => [s],
            IEnumerable<object?> items => [.. items.Where(i => i != NoValue).Select(i => i as string ?? throw new InvalidOperationException("A list item is not a string."))],
            _ => throw new InvalidOperationException($"Expected a list, found '{value}'."),
        };

        /// <summary>The node without its tag: the argument of a short-form function such as <c>!Sub</c>.</summary>
        private static YamlNode Untagged(YamlNode node) => node switch
        {
            YamlScalarNode s => new YamlScalarNode(s.Value),
            YamlSequenceNode q => new YamlSequenceNode(q.Children),
            YamlMappingNode m => new YamlMappingNode(m.Children),
            _ => node,
        };
    }
}
