import Testing
import CustqDiagnostics
@testable import CustqIngest
import CustqRender
import CustqStore

/// Small files written in the quirks of the exports analysts get (none copied from a real
/// one): each must load without flags, with the right types and exact values, and say
/// what was decided.
@Suite struct RealExportTests {
    /// `.schema`'s "read as" for each column that has one.
    func readings(_ result: LoadResult) -> [String: String] {
        var readings: [String: String] = [:]
        for column in result.table.columns where column.reading != nil { readings[column.name] = column.reading }
        return readings
    }

    /// The table as people see it (thousands separators, currency, percentages).
    func shown(_ table: Table) -> String { ResultRenderer.render(table, format: .table) }

    @Test func onlineRetailLineItems() throws {
        // UCI Online Retail: US dates without seconds, decimal customer ids, cancellations
        // (C…) among invoice numbers, product codes mixing letters and digits.
        let result = try load("""
            InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
            536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850.0,United Kingdom
            C536379,D,Discount,-1,12/1/2010 9:41,27.5,14527.0,United Kingdom
            536414,22139,,56,12/1/2010 11:52,0,,United Kingdom
            581587,23256,CHILDRENS CUTLERY SPACEBOY ,4,12/19/2011 12:50,4.15,12680.0,France

            """, name: "retail.csv")
        #expect(result.table.types == ["InvoiceNo:string", "StockCode:string", "Description:string", "Quantity:integer",
                                       "InvoiceDate:timestamp", "UnitPrice:decimal", "CustomerID:integer", "Country:string"])
        #expect(result.table.values("InvoiceDate") == ["2010-12-01 08:26:00", "2010-12-01 09:41:00", "2010-12-01 11:52:00",
                                                       "2011-12-19 12:50:00"])
        #expect(result.table.values("CustomerID") == ["17850", "14527", nil, "12680"])
        #expect(readings(result) == ["InvoiceDate": "timestamps, month/day/year (12/1/2010 8:26)",
                                     "CustomerID": "whole numbers (17850.0)"])
        #expect(result.warnings.isEmpty)
        #expect(result.choices.isEmpty)   // 12/19/2011 settles the order
        #expect(result.table.column(named: "CustomerID")?.unit == .code)
    }

    @Test func olistTimestampsStayAsWritten() throws {
        let result = try load("""
            order_id,customer_id,order_status,order_purchase_timestamp,order_delivered_customer_date
            e481f51cbdc54678b7cc49136f2d6af7,9ef432eb6251297304e76186b10a928d,delivered,2017-10-02 10:56:33,2017-10-10 21:25:13
            53cdb2fc8bc7dce0b6741e2150273451,b0830fb4747a6c6d20dea0b8c802d7ef,shipped,2018-07-24 20:41:37,

            """, name: "olist_orders.csv")
        #expect(result.table.types == ["order_id:string", "customer_id:string", "order_status:string",
                                       "order_purchase_timestamp:timestamp", "order_delivered_customer_date:timestamp"])
        #expect(result.table.values("order_purchase_timestamp") == ["2017-10-02 10:56:33", "2018-07-24 20:41:37"])
        #expect(result.table.values("order_delivered_customer_date") == ["2017-10-10 21:25:13", nil])
    }

    @Test func shopifyOffsetsKeepTheirLocalDate() throws {
        let result = try load("""
            Name,Email,Financial Status,Created at,Subtotal,Total
            #1001,ann@example.com,paid,2024-01-05 21:20:58 -0500,20.00,25.00
            #1002,bo@example.com,refunded,2024-01-06 09:02:11 +0800,5.50,5.50

            """, name: "orders_export.csv")
        #expect(result.table.types == ["Name:string", "Email:string", "Financial Status:string", "Created at:timestamp",
                                       "Subtotal:decimal", "Total:decimal"])
        let created = try #require(result.table.column(named: "Created at"))
        // Shown as written, with the offset; the date is the local one (5 January, not the
        // 6th it already was in UTC); ordered by instant.
        #expect(result.table.values("Created at") == ["2024-01-05 21:20:58-05:00", "2024-01-06 09:02:11+08:00"])
        guard case .timestamp(let instants) = created.values else { Issue.record("not timestamps"); return }
        #expect(CivilDate.day(ofTimestamp: instants[0], offset: created.offset(at: 0)) == Int32(CivilDate.dayNumber(year: 2024, month: 1, day: 5)))
        // In UTC #1001 is 02:20:58 and #1002 01:02:11 on the 6th: #1001 came 1:18:47 later.
        let gap: Int64 = 4_727_000_000
        #expect(instants[0] - instants[1] == gap)
        #expect(readings(result) == ["Created at": "timestamps with UTC offsets (2024-01-05 21:20:58 -0500)"])
    }

    @Test func surveyMonkeyAnswerLabels() throws {
        let result = try load("""
            Respondent ID,Collector ID,Start Date,How likely are you to recommend us?,Comments
            ,,,Response,Open-Ended Response
            114227,431,11/20/2024 09:12:33 AM,9,Faster delivery
            114228,431,11/21/2024 01:02:03 PM,6,

            """, name: "survey.csv")
        #expect(result.table.types == ["Respondent ID:integer", "Collector ID:integer", "Start Date:timestamp",
                                       "How likely are you to recommend us?:integer", "Comments:string"])
        #expect(result.table.values("Start Date") == ["2024-11-20 09:12:33", "2024-11-21 13:02:03"])
        #expect(result.table.column(named: "How likely are you to recommend us?")?.description == "Response")
        #expect(result.table.notes == ["line 2 holds SurveyMonkey's answer labels: left out of the data, kept as column descriptions (.schema)"])
        #expect(result.warnings.isEmpty)
    }

    @Test func qualtricsQuestionAndImportIdRows() throws {
        let result = try load("""
            StartDate,ResponseId,Q1,Q2_1
            Start Date,Response ID,How satisfied are you?,"Rate our support - Speed (1 = slow, 5 = fast)"
            "{""ImportId"":""startDate"",""timeZone"":""America/Denver""}","{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}","{""ImportId"":""QID2_1""}"
            2024-01-05 10:15:02,R_1abc,5,4
            2024-01-06 11:00:00,R_2def,3,

            """, name: "qualtrics.csv")
        #expect(result.table.types == ["StartDate:timestamp", "ResponseId:string", "Q1:integer", "Q2_1:integer"])
        #expect(result.table.values("Q1") == ["5", "3"])
        #expect(result.table.columns.map(\.description) == ["Start Date", "Response ID", "How satisfied are you?",
                                                            "Rate our support - Speed (1 = slow, 5 = fast)"])
        #expect(result.table.notes == ["lines 2–3 hold Qualtrics' question text and import ids: left out of the data, "
                                       + "the questions kept as column descriptions (.schema)"])
    }

    @Test func salesforceFootersAreLeftOut() throws {
        let result = try load("""
            "Opportunity Name","Amount","Close Date","Stage"
            "Acme - 200 Widgets","$20,000.00","1/15/2024","Closed Won"
            "Globex Renewal","$5,500.50","2/3/2024","Negotiation"

            "Grand Totals (2 records)","$25,500.50",,

            "Confidential Information - Do Not Distribute"
            "Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."

            """, name: "report.csv")
        #expect(result.table.rowCount == 2)
        #expect(result.table.types == ["Opportunity Name:string", "Amount:decimal", "Close Date:date", "Stage:string"])
        #expect(result.table.values("Amount") == ["20000.0", "5500.5"])
        #expect(result.table.notes == ["3 footer lines left out (lines 5–8)"])
        #expect(shown(result.table).contains("│ $20,000.00 │"))
    }

    @Test func chineseExcelExportInGB18030() throws {
        // What Excel on Chinese Windows saves as "CSV": GB18030 bytes (written by Python's
        // codec), 是/否, ¥ and ￥ amounts, 2024/1/5 and 2024年2月15日, phone numbers.
        let bytes: [UInt8] = [
            0xBF, 0xCD, 0xBB, 0xA7, 0xB1, 0xE0, 0xBA, 0xC5, 0x2C, 0xBF, 0xCD, 0xBB, 0xA7, 0xC3, 0xFB, 0xB3, 0xC6, 0x2C, 0xCA,
            0xC7, 0xB7, 0xF1, 0xBB, 0xE1, 0xD4, 0xB1, 0x2C, 0xCF, 0xFB, 0xB7, 0xD1, 0xBD, 0xF0, 0xB6, 0xEE, 0x2C, 0xD7, 0xA2,
            0xB2, 0xE1, 0xC8, 0xD5, 0xC6, 0xDA, 0x2C, 0xCA, 0xD6, 0xBB, 0xFA, 0x0A, 0x31, 0x30, 0x30, 0x31, 0x2C, 0xD5, 0xC5,
            0xC8, 0xFD, 0x2C, 0xCA, 0xC7, 0x2C, 0x22, 0x81, 0x30, 0x84, 0x36, 0x31, 0x2C, 0x32, 0x33, 0x34, 0x2E, 0x35, 0x30,
            0x22, 0x2C, 0x32, 0x30, 0x32, 0x34, 0x2F, 0x31, 0x2F, 0x35, 0x2C, 0x31, 0x35, 0x31, 0x34, 0x39, 0x37, 0x37, 0x35,
            0x39, 0x37, 0x36, 0x0A, 0x31, 0x30, 0x30, 0x32, 0x2C, 0xC0, 0xEE, 0xCB, 0xC4, 0x2C, 0xB7, 0xF1, 0x2C, 0xA3, 0xA4,
            0x38, 0x38, 0x2E, 0x30, 0x30, 0x2C, 0x32, 0x30, 0x32, 0x34, 0xC4, 0xEA, 0x32, 0xD4, 0xC2, 0x31, 0x35, 0xC8, 0xD5,
            0x2C, 0x31, 0x33, 0x38, 0x30, 0x30, 0x31, 0x33, 0x38, 0x30, 0x30, 0x30, 0x0A,
        ]
        let result = try load(bytes: bytes, name: "客户.csv")
        #expect(result.table.types == ["客户编号:integer", "客户名称:string", "是否会员:boolean", "消费金额:decimal",
                                       "注册日期:date", "手机:integer"])
        #expect(result.table.cells == [["1001", "张三", "true", "1234.5", "2024-01-05", "15149775976"],
                                       ["1002", "李四", "false", "88.0", "2024-02-15", "13800138000"]])
        #expect(result.table.notes == ["read as GB18030 (the file is not UTF-8; --encoding NAME reads it otherwise)"])
        #expect(readings(result) == ["是否会员": "yes/no (是/否)", "消费金额": "money in ¥ (¥1,234.50)", "注册日期": "dates (2024/1/5)"])
        // Codes and phone numbers without separators; money with its symbol.
        #expect(shown(result.table).contains("│     1001 │ 张三     │ true     │ ¥1,234.50 │ 2024-01-05 │ 15149775976 │"))
    }

    @Test func moneyAsExportsWriteIt() throws {
        let result = try load("""
            id,usd,cny,accounting,eur,yuan
            1,"$1,450,000.50",¥88.00,"(1,234.00)",€12.50,"1,234.50 元"
            2,-$5.00,"￥1,234.50",300.00,€0.99,88 元

            """)
        #expect(result.table.types == ["id:integer", "usd:decimal", "cny:decimal", "accounting:decimal", "eur:decimal", "yuan:decimal"])
        #expect(result.table.cells == [["1", "1450000.5", "88.0", "-1234.0", "12.5", "1234.5"],
                                       ["2", "-5.0", "1234.5", "300.0", "0.99", "88.0"]])
        #expect(readings(result) == ["usd": "money in $ ($1,450,000.50)", "cny": "money in ¥ (¥88.00)",
                                     "accounting": "numbers ((1,234.00))", "eur": "money in € (€12.50)",
                                     "yuan": "money in 元 (1,234.50 元)"])
        #expect(shown(result.table) == """
            ┌────┬───────────────┬───────────┬────────────┬────────┬─────────────┐
            │ id │ usd           │ cny       │ accounting │ eur    │ yuan        │
            ├────┼───────────────┼───────────┼────────────┼────────┼─────────────┤
            │  1 │ $1,450,000.50 │    ¥88.00 │   -1,234.0 │ €12.50 │ 1,234.50 元 │
            │  2 │        -$5.00 │ ¥1,234.50 │      300.0 │  €0.99 │    88.00 元 │
            └────┴───────────────┴───────────┴────────────┴────────┴─────────────┘

            """)
    }

    @Test func decimalCommaInSemicolonFiles() throws {
        let result = try load("kunde;umsatz;preis\n1;1.234,56;R$ 1.234,56\n2;12,5;R$ 0,99\n", name: "export.csv")
        #expect(result.table.types == ["kunde:integer", "umsatz:decimal", "preis:decimal"])
        #expect(result.table.cells == [["1", "1234.56", "1234.56"], ["2", "12.5", "0.99"]])
        #expect(readings(result) == ["umsatz": "numbers, decimal comma (1.234,56)", "preis": "money in R$, decimal comma (R$ 1.234,56)"])
    }

    @Test func percentagesAreFractions() throws {
        let result = try load("segment,churn,growth\nA,25%,12.5 %\nB,3%,-0.5%\n")
        #expect(result.table.cells == [["A", "0.25", "0.125"], ["B", "0.03", "-0.005"]])
        #expect(readings(result) == ["churn": "percent (25% = 0.25)", "growth": "percent (12.5 % = 0.125)"])
        #expect(result.table.column(named: "churn")?.unit == .percent)
        #expect(shown(result.table).contains("│ A       │ 25.0% │  12.5% │"))
    }

    @Test func yesNoWordsAndOnesAndZeros() throws {
        let result = try load("id,member,active,flag,churned\n1,是,Y,TRUE,1\n2,否,N,false,0\n3,,y,True,1\n")
        #expect(result.table.types == ["id:integer", "member:boolean", "active:boolean", "flag:boolean", "churned:integer"])
        #expect(result.table.values("member") == ["true", "false", nil])
        #expect(result.table.values("active") == ["true", "false", "true"])
        // 1/0 stays a number unless declared boolean: it could be a count.
        var options = LoadOptions()
        options.columnTypes = ["churned": .boolean]
        #expect(try load("id,churned\n1,1\n2,0\n", options: options).table.values("churned") == ["true", "false"])
    }

    @Test func datesInEveryCommonShape() throws {
        let result = try load("""
            us,eu,dotted,slashed,dashed,chinese,twelve
            1/31/2024,31/01/2024,2024.01.05,2024/1/5,2024-1-5,2024年1月5日,11/20/2024 09:12:33 AM
            12/1/2010,05/02/2024,2024.12.31,2024/12/31,2024-12-31,2024年12月31日 10:15,11/20/2024 12:00:00 PM

            """)
        #expect(result.table.types == ["us:date", "eu:date", "dotted:date", "slashed:date", "dashed:date",
                                       "chinese:timestamp", "twelve:timestamp"])
        #expect(result.table.cells == [
            ["2024-01-31", "2024-01-31", "2024-01-05", "2024-01-05", "2024-01-05", "2024-01-05 00:00:00", "2024-11-20 09:12:33"],
            ["2010-12-01", "2024-02-05", "2024-12-31", "2024-12-31", "2024-12-31", "2024-12-31 10:15:00", "2024-11-20 12:00:00"],
        ])
        #expect(readings(result)["eu"] == "dates, day/month/year (31/01/2024)")
        #expect(result.choices.isEmpty)
    }

    @Test func anOrderBothWaysIsSaidWithTheOverride() throws {
        let result = try load("id,signup\n1,01/02/2024\n2,03/04/2024\n")
        #expect(result.table.values("signup") == ["2024-01-02", "2024-03-04"])
        #expect(result.choices == ["every value of signup reads as month/day/year or as day/month/year (01/02/2024): "
                                   + "custq took month/day/year, Excel's US order; --type 'signup=date:%d/%m/%Y' reads the day first"])
        var options = LoadOptions()
        options.columnTypes = ["signup": .date]
        options.columnFormats = ["signup": try DateFormat("%d/%m/%Y")]
        #expect(try load("id,signup\n1,01/02/2024\n2,03/04/2024\n", options: options).table.values("signup") == ["2024-02-01", "2024-04-03"])
        #expect(loadError("id,signup\n1,01/02/2024\n2,2024-04-03\n", options: options) == """
            t.csv:3:3: error: '2024-04-03' is not a valid date (%d/%m/%Y) for column 'signup', which was declared date (%d/%m/%Y)
                3 | 2,2024-04-03
                  |   ^~~~~~~~~~
              help: remove the type override for 'signup' to infer its type, or fix the value

            """)
    }

    @Test func datesWithAStrayTextStayTextAndSaySo() throws {
        let result = try load("id,d\n1,05/01/2024\n2,TBD\n3,06/02/2024\n4,07/03/2024\n")
        #expect(result.table.types == ["id:integer", "d:string"])
        #expect(result.warnings.map(DiagnosticRenderer.render) == [
            "warning: column 'd' holds dates and a text ('TBD'): loaded as text; date(d) reads its dates (the rest become null), or clean the text\n"])
        // Names and comments are no dates: nothing is said of them.
        #expect(try load("id,name\n1,Ann\n2,Bo\n3,Cy\n").warnings.isEmpty)
    }

    @Test func mixedCurrenciesStayTextAndSaySo() throws {
        let result = try load("id,price\n1,$5.00\n2,€4.50\n")
        #expect(result.table.types == ["id:integer", "price:string"])
        #expect(result.warnings.map(DiagnosticRenderer.render) == ["warning: column 'price' mixes currencies ($, €): loaded as text\n"])
    }

    @Test func codesAndTextFirstColumns() throws {
        // Leading zeros are codes, kept as written, without a warning.
        let zips = try load("id,zip\n1,01151\n2,90210\n")
        #expect(zips.table.values("zip") == ["01151", "90210"])
        #expect(zips.warnings.isEmpty)
        // Text first, then numbers: the column mixes kinds, and the warning points at the field.
        let mixed = try load("id,score\n1,Response\n2,5\n")
        #expect(mixed.warnings.map(DiagnosticRenderer.render) == ["""
            t.csv:2:3: warning: column 'score' mixes integer values and text: loaded as string
                2 | 1,Response
                  |   ^~~~~~~~
              help: if the text marks missing values, clean it; or declare the type with --type score=string

            """])
    }

    @Test func unicodeTextFromExcelIsTabSeparatedUTF16() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "id\tcity\tspend\n1\t北京\t¥12.50\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let result = try load(bytes: bytes, name: "export.txt")
        #expect(result.table.cells == [["1", "北京", "12.5"]])
        #expect(result.table.notes == ["read as UTF-16LE (the file is not UTF-8; --encoding NAME reads it otherwise)"])
    }

    @Test func skipLinesBeforeTheHeader() throws {
        var options = LoadOptions()
        options.skipRows = 2
        let result = try load("Sales by customer\nRun 2024-01-31\nid,amount\n1,5\n2,x\n", options: options)
        #expect(result.table.types == ["id:integer", "amount:string"])
        #expect(result.warnings.map(DiagnosticRenderer.render).first?.hasPrefix("t.csv:5:3: warning: column 'amount'") == true)
    }
}
