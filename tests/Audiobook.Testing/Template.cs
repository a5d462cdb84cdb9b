using YamlDotNet.RepresentationModel;

namespace Audiobook.Tests.Infrastructure;

/// <summary>A CloudFormation template read as plain YAML nodes (intrinsic tags such as !Ref are kept, not resolved).</summary>
public sealed class Template
{
    private readonly YamlMappingNode root;

    private Template(YamlMappingNode root) => this.root = root;

    public static Template Load(string file)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Repository.PathOf("aws", file));
        stream.Load(reader);
        return new Template((YamlMappingNode)stream.Documents[0].RootNode);
    }

    public IEnumerable<(string Name, YamlMappingNode Properties)> Resources(string type) =>
        ((YamlMappingNode)root["Resources"]).Children
            .Where(r => ((YamlMappingNode)r.Value)["Type"].ToString() == type)
            .Select(r => (r.Key.ToString(), ((YamlMappingNode)r.Value).Children.TryGetValue("Properties", out var p) ? (YamlMappingNode)p : new YamlMappingNode()));

    public YamlMappingNode Resource(string name) => (YamlMappingNode)((YamlMappingNode)root["Resources"])[name];

    public YamlMappingNode Properties(string name) => (YamlMappingNode)Resource(name)["Properties"];

    public bool HasOutput(string name) => ((YamlMappingNode)root["Outputs"]).Children.ContainsKey(name);

    /// <summary>The scalar at a path of mapping keys, or null.</summary>
    public static string? At(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(key, out var next))
            {
                return null;
            }
            node = next;
        }
        return node is YamlScalarNode scalar ? scalar.Value : node.ToString();
    }

    /// <summary>Every scalar below a node, for "mentions" checks.</summary>
    public static IEnumerable<string> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode s => [s.Value ?? ""],
        YamlMappingNode m => m.Children.SelectMany(c => Scalars(c.Key).Concat(Scalars(c.Value))),
        YamlSequenceNode q => q.Children.SelectMany(Scalars),
        _ => [],
    };
}
