using System.Text.Json;

namespace ProductEvents.Grains.Segments;

/// <summary>The product filters of an event condition: fields, operators, operands and empty ranges.</summary>
public static partial class SegmentConditionParser
{
    private static void ParseProduct(JsonElement product, string path, List<ProductFilter> filters, List<SegmentDefinitionError> errors)
    {
        if (product.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, """must be an object of field → {operator: value}, for example {"category": {"eq": "shoes"}}"""));
            return;
        }

        foreach (var field in Properties(product, path, errors))
        {
            var fieldPath = Child(path, field.Name);
            if (field.Name.Length == 0)
            {
                errors.Add(new(fieldPath, "a field name must not be empty"));
                continue;
            }

            if (field.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(fieldPath, $"must be an object of one or more operators: {OperatorsText}"));
                continue;
            }

            var operators = Properties(field.Value, fieldPath, errors);
            if (operators.Count == 0)
            {
                errors.Add(new(fieldPath, $"must hold at least one operator: {OperatorsText}"));
                continue;
            }

            // Several operators on one field must all hold, as in {"price": {"gte": 50, "lte": 200}}.
            var parsed = new List<(ProductFilter Filter, string Path)>();
            foreach (var operand in operators)
            {
                var operandPath = Child(fieldPath, operand.Name);
                if (!Operators.ContainsKey(operand.Name))
                {
                    errors.Add(new(operandPath, $"unknown operator; allowed: {OperatorsText}"));
                }
                else if (ParseFilter(field.Name, operand, operandPath, errors) is { } filter)
                {
                    parsed.Add((filter, operandPath));
                }
            }

            if (parsed.Count == operators.Count && !IsEmptyRange(parsed, errors))
            {
                filters.AddRange(parsed.Select(p => p.Filter));
            }
        }
    }

    /// <summary>
    /// True, with an error at the upper bound, when a field's numeric lower and upper bounds leave no value between
    /// them ({"gte": 200, "lte": 50}): such a filter can never match, which is a mistake worth a 400.
    /// </summary>
    private static bool IsEmptyRange(List<(ProductFilter Filter, string Path)> filters, List<SegmentDefinitionError> errors)
    {
        foreach (var (lower, _) in filters.Where(f => f.Filter.Operator is FilterOperator.Gt or FilterOperator.Gte))
        {
            foreach (var (upper, upperPath) in filters.Where(f => f.Filter.Operator is FilterOperator.Lt or FilterOperator.Lte))
            {
                if (lower.Values[0].AsNumber() is not { } from || upper.Values[0].AsNumber() is not { } to)
                {
                    continue;
                }

                var strict = lower.Operator == FilterOperator.Gt || upper.Operator == FilterOperator.Lt;
                if (from > to || (from == to && strict))
                {
                    errors.Add(new(upperPath, $"leaves no value that also satisfies {(lower.Operator == FilterOperator.Gt ? "gt" : "gte")}"));
                    return true;
                }
            }
        }

        return false;
    }

    private static ProductFilter? ParseFilter(string field, JsonProperty operand, string path, List<SegmentDefinitionError> errors)
    {
        var op = Operators[operand.Name];
        var value = operand.Value;
        var values = new List<AttributeValue>();
        switch (op)
        {
            case FilterOperator.Eq or FilterOperator.Ne:
                if (!TryScalar(value, out var scalar))
                {
                    errors.Add(new(path, "must be a string, a number or a boolean"));
                    return null;
                }

                values.Add(scalar);
                break;
            case FilterOperator.Lt or FilterOperator.Lte or FilterOperator.Gt or FilterOperator.Gte:
                if (value.ValueKind is not (JsonValueKind.Number or JsonValueKind.String) || !TryScalar(value, out var bound))
                {
                    errors.Add(new(path, "must be a number or a string"));
                    return null;
                }

                values.Add(bound);
                break;
            case FilterOperator.Contains:
                if (value.ValueKind != JsonValueKind.String)
                {
                    errors.Add(new(path, "must be a string"));
                    return null;
                }

                values.Add(AttributeValue.FromString(value.GetString()!));
                break;
            case FilterOperator.In:
                if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
                {
                    errors.Add(new(path, "must be a non-empty array of strings, numbers or booleans"));
                    return null;
                }

                if (value.GetArrayLength() > SegmentLimits.MaxInValues)
                {
                    errors.Add(new(path, $"holds {value.GetArrayLength()} values; at most {SegmentLimits.MaxInValues} are allowed"));
                    return null;
                }

                var i = 0;
                var failed = false;
                foreach (var item in value.EnumerateArray())
                {
                    if (TryScalar(item, out var member))
                    {
                        values.Add(member);
                    }
                    else
                    {
                        errors.Add(new($"{path}[{i}]", "must be a string, a number or a boolean"));
                        failed = true;
                    }

                    i++;
                }

                if (failed)
                {
                    return null;
                }

                break;
            default:
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    errors.Add(new(path, "must be true or false"));
                    return null;
                }

                values.Add(AttributeValue.FromBoolean(value.GetBoolean()));
                break;
        }

        // The product's name and id are strings: a number here would never match, which is a mistake worth a 400.
        if (op != FilterOperator.Exists
            && field is ProductFilter.NameField or ProductFilter.ProductIdField
            && values.Any(v => v.Kind != AttributeKind.String))
        {
            errors.Add(new(path, $"{field} is a string; compare it with a string"));
            return null;
        }

        return new ProductFilter(field, op, values);
    }
}
