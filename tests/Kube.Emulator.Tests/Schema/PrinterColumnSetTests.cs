using System.Text.Json.Nodes;
using Kube.Emulator.Objects;
using Kube.Emulator.Schema;

namespace Kube.Emulator.Tests.Schema;

public class PrinterColumnSetTests
{
    private const string Columns = """
        - {name: Host, type: string, jsonPath: .spec.host}
        - {name: Port, type: integer, jsonPath: .spec.port}
        - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
        - {name: Rotations, type: integer, jsonPath: .status.rotation.count}
        - {name: Ratio, type: number, jsonPath: .status.ratio}
        - {name: On, type: boolean, jsonPath: .spec.on}
        - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
        - {name: First, type: string, jsonPath: '.status.conditions[0].type', priority: 1, description: The first condition, format: byte}
        - {name: Annotation, type: string, jsonPath: ".metadata.annotations['sshtunnels.io/rotate-keys']"}
        """;

    [Fact]
    public void Lists_the_name_column_then_the_declared_columns()
    {
        var set = PrinterColumnSet.Compile((JsonArray)YamlJson.Parse(Columns));

        Assert.Equal(
            ["Name/string/name/0", "Host/string//0", "Port/integer//0", "Ready/string//0", "Rotations/integer//0", "Ratio/number//0", "On/boolean//0", "Age/date//0", "First/string/byte/1", "Annotation/string//0"],
            set.Columns.Select(c => $"{c.Name}/{c.Type}/{c.Format}/{c.Priority}"));
        Assert.Equal("The first condition", set.Columns[8].Description);
        Assert.StartsWith("Name must be unique within a namespace.", set.Columns[0].Description, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Rows => new()
    {
        {
            """
            metadata: {name: w, creationTimestamp: '2026-11-27T08:47:32Z', annotations: {sshtunnels.io/rotate-keys: '17'}}
            spec: {host: bastion, port: 22, on: true}
            status:
              conditions: [{type: Validated, status: 'False'}, {type: Ready, status: 'True'}]
              rotation: {count: 4}
              ratio: 2
            """,
            """["w","bastion",22,"True",4,2,true,"2026-11-27T08:47:32Z","Validated","17"]"""
        },
        {
            "{metadata: {name: w}, spec: {host: h}}",
            """["w","h",null,null,null,null,null,null,null,null]"""
        },
        {
            "{metadata: {name: w}, spec: {host: 7, port: '22', on: 'yes'}, status: {ratio: 1.5, rotation: {count: 2.0}}}",
            """["w","7",null,null,2,1.5,null,null,null,null]"""
        },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Renders_cells_as_the_table_convertor_does(string obj, string expected)
    {
        var set = PrinterColumnSet.Compile((JsonArray)YamlJson.Parse(Columns));

        Assert.Equal(expected, set.Cells(YamlJson.Parse(obj).AsObject()).ToJsonString());
    }

    [Fact]
    public void Defaults_to_an_age_column_when_the_crd_declares_none()
    {
        var set = PrinterColumnSet.Compile(null);

        Assert.Equal(["Name", "Age"], set.Columns.Select(c => c.Name));
        Assert.Equal("""["w","2026-11-27T08:47:32Z"]""", set.Cells(YamlJson.Parse("{metadata: {name: w, creationTimestamp: '2026-11-27T08:47:32Z'}}").AsObject()).ToJsonString());
    }

    [Theory]
    [InlineData("[{name: A, type: text, jsonPath: .spec.a}]", "additionalPrinterColumns[0].type: Unsupported value: \"text\"")]
    [InlineData("[{name: A, type: string}]", "additionalPrinterColumns[0].jsonPath: Required value")]
    [InlineData("[{name: A, type: string, jsonPath: spec.a}]", "additionalPrinterColumns[0].jsonPath: must be a simple JSON path")]
    [InlineData("[{name: A, type: string, jsonPath: '.spec[?(@.a > 1)]'}]", "additionalPrinterColumns[0].jsonPath: unsupported JSON path filter")]
    public void Refuses_columns_it_cannot_render(string columns, string expectedStart)
    {
        var refusal = Assert.Throws<CrdSchemaException>(() => PrinterColumnSet.Compile((JsonArray)YamlJson.Parse(columns)));

        Assert.StartsWith(expectedStart, refusal.Message, StringComparison.Ordinal);
    }
}
