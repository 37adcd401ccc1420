namespace Kube.Emulator.Schema;

/// <summary>
/// Checks and normalises the <c>fieldPath</c> of a validation rule as apiextensions' <c>ValidFieldPath</c> does:
/// a JSON path of field selections (<c>.a.b</c>) and quoted keys (<c>['a.b']</c>) that must exist in the schema.
/// </summary>
internal static class RuleFieldPath
{
    public static string Normalize(string jsonPath, SchemaNode schema, string where)
    {
        var path = "";
        var position = 0;
        var current = schema;
        while (position < jsonPath.Length)
        {
            string name;
            switch (jsonPath[position])
            {
                case '.':
                    var end = jsonPath.IndexOfAny(['.', '['], position + 1);
                    end = end < 0 ? jsonPath.Length : end;
                    name = jsonPath[(position + 1)..end];
                    if (name.Length == 0)
                    {
                        throw SchemaParser.Refuse(where, "unexpected end of JSON path");
                    }

                    position = end;
                    break;
                case '[':
                    (name, position) = ReadQuoted(jsonPath, position + 1, where);
                    if (position >= jsonPath.Length || jsonPath[position] != ']')
                    {
                        throw SchemaParser.Refuse(where, "expected ] in JSON path");
                    }

                    position++;
                    break;
                default:
                    throw SchemaParser.Refuse(where, $"expected [ or . but got: {jsonPath[position..]}");
            }

            if (current.Properties.Count > 0)
            {
                current = current.Property(name) ?? throw SchemaParser.Refuse(where, $"fieldPath \"{jsonPath}\" does not refer to a valid field");
                path = FieldPath.Child(path, name);
            }
            else if (current.AdditionalProperties is not null)
            {
                current = current.AdditionalProperties;
                path = FieldPath.Key(path, name);
            }
            else
            {
                throw SchemaParser.Refuse(where, $"fieldPath \"{jsonPath}\" does not refer to a valid field");
            }
        }

        if (path.Length == 0)
        {
            throw SchemaParser.Refuse(where, "fieldPath must not be empty");
        }

        return path;
    }

    private static (string Name, int Position) ReadQuoted(string jsonPath, int position, string where)
    {
        if (position >= jsonPath.Length || jsonPath[position] != '\'')
        {
            throw SchemaParser.Refuse(where, "expected single quoted string in JSON path");
        }

        var builder = new System.Text.StringBuilder();
        for (var i = position + 1; i < jsonPath.Length; i++)
        {
            var c = jsonPath[i];
            if (c == '\\' && i + 1 < jsonPath.Length)
            {
                i++;
                builder.Append(jsonPath[i] switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '\'' => '\'',
                    '\\' => '\\',
                    _ => throw SchemaParser.Refuse(where, $"invalid escape char \\{jsonPath[i]} in JSON path"),
                });
            }
            else if (c == '\'')
            {
                return (builder.ToString(), i + 1);
            }
            else
            {
                builder.Append(c);
            }
        }

        throw SchemaParser.Refuse(where, "unterminated string in JSON path");
    }
}
